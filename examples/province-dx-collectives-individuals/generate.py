"""Writes the example's data: the 25 collectives of the Điện Biên Department of Culture,
Sports and Tourism (its divisions and the teams of its public service units), about 600
individuals, and three years of past titles. Seeded, so the files never change. Columns are
titled with the criteria's Vietnamese labels, as the department's sheet would be.

    python examples/province-dx-collectives-individuals/generate.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 819  # the movement was launched on 19 August 2025
HERE = Path(__file__).parent / "data"
DIVISIONS = "Khối Văn phòng, Thanh tra và các phòng chuyên môn"
SERVICES = "Khối các đơn vị sự nghiệp"
RATINGS = {
    "incomplete": "Không hoàn thành nhiệm vụ",
    "complete": "Hoàn thành nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
}
INITIATIVES = {"none": "", "grassroots": "Sáng kiến cấp cơ sở", "provincial": "Sáng kiến cấp tỉnh"}
DISCIPLINE = {"none": "", "reprimand": "Khiển trách", "warning": "Cảnh cáo"}
# (name, block, size range, settles administrative procedures)
COLLECTIVES = [
    ("Văn phòng Sở", DIVISIONS, (14, 20), True),
    ("Thanh tra Sở", DIVISIONS, (7, 10), False),
    ("Phòng Kế hoạch - Tài chính", DIVISIONS, (8, 12), False),
    ("Phòng Quản lý văn hóa và Gia đình", DIVISIONS, (9, 13), True),
    ("Phòng Quản lý thể dục thể thao", DIVISIONS, (7, 11), True),
    ("Phòng Quản lý du lịch", DIVISIONS, (8, 12), True),
    ("Phòng Quản lý báo chí, xuất bản", DIVISIONS, (7, 11), True),
    ("Phòng Tổ chức cán bộ", DIVISIONS, (6, 9), False),
    ("Bảo tàng tỉnh - Phòng Sưu tầm, Kiểm kê và Bảo quản", SERVICES, (22, 33), False),
    ("Bảo tàng tỉnh - Phòng Trưng bày, Tuyên truyền", SERVICES, (24, 35), False),
    ("Thư viện tỉnh - Phòng Nghiệp vụ", SERVICES, (20, 29), False),
    ("Thư viện tỉnh - Phòng Số hóa tài liệu", SERVICES, (17, 25), False),
    ("Thư viện tỉnh - Phòng Phục vụ bạn đọc", SERVICES, (22, 31), False),
    ("Trung tâm Văn hóa tỉnh - Phòng Tổ chức sự kiện", SERVICES, (26, 37), False),
    ("Trung tâm Văn hóa tỉnh - Đội Thông tin lưu động", SERVICES, (24, 35), False),
    ("Trung tâm Văn hóa tỉnh - Phòng Nghệ thuật quần chúng", SERVICES, (22, 33), False),
    (
        "Trung tâm Huấn luyện và Thi đấu thể dục thể thao - Phòng Huấn luyện",
        SERVICES,
        (30, 43),
        False,
    ),
    ("Trung tâm Huấn luyện và Thi đấu thể dục thể thao - Phòng Thi đấu", SERVICES, (24, 35), False),
    (
        "Ban Quản lý Di tích Chiến trường Điện Biên Phủ - Phòng Quản lý di tích",
        SERVICES,
        (26, 37),
        False,
    ),
    (
        "Ban Quản lý Di tích Chiến trường Điện Biên Phủ - Phòng Thuyết minh",
        SERVICES,
        (28, 39),
        False,
    ),
    ("Đoàn Nghệ thuật tỉnh - Đội Ca múa", SERVICES, (32, 45), False),
    ("Đoàn Nghệ thuật tỉnh - Đội Nhạc", SERVICES, (22, 31), False),
    ("Trung tâm Thông tin và Xúc tiến Du lịch - Phòng Xúc tiến", SERVICES, (20, 29), False),
    ("Trung tâm Thông tin và Xúc tiến Du lịch - Phòng Du lịch số", SERVICES, (18, 27), False),
    ("Trung tâm Phát hành phim và Chiếu bóng - Đội Chiếu bóng lưu động", SERVICES, (22, 33), False),
]
FAMILY = ["Lò", "Lường", "Quàng", "Cà", "Tòng", "Vì", "Lù", "Giàng", "Sùng", "Vàng", "Mùa"]
FAMILY += ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Đỗ"]
MIDDLE = ["Văn", "Thị", "A", "Minh", "Thu", "Đức", "Thanh"]
GIVEN = ["Anh", "Bình", "Chính", "Cường", "Dung", "Dương", "Én", "Hoa", "Hương", "Khánh"]
GIVEN += ["Lả", "Mai", "Nga", "Phong", "Sáy", "Thắm", "Thanh", "Tuấn", "Xuân", "Hiếu", "Chứ"]
COLLECTIVE_COLUMNS = [
    "Mã tập thể",
    "Tên tập thể",
    "Khối thi đua",
    "Mức độ hoàn thành nhiệm vụ",
    "Tỷ lệ điểm cải cách hành chính đạt được",
    "Tỷ lệ hồ sơ thủ tục hành chính được số hóa",
    "Số cơ sở dữ liệu được giao xây dựng",
    "Số cơ sở dữ liệu đã hoàn thành, kết nối, chia sẻ",
    "Tỷ lệ hoàn thành nhiệm vụ cải thiện Chỉ số đổi mới sáng tạo của tỉnh",
    "Tỷ lệ hoàn thành nhiệm vụ chuyển đổi số của tỉnh được giao",
]
INDIVIDUAL_COLUMNS = [
    "Mã cá nhân",
    "Họ và tên",
    "Tập thể",
    "Mức độ hoàn thành nhiệm vụ",
    "Hình thức kỷ luật",
    "Số tháng công tác trong năm",
    "Sáng kiến được công nhận",
    "Hoàn thành Bình dân học vụ số",
    "Số giờ bồi dưỡng kỹ năng số",
]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def main() -> None:
    rng = random.Random(SEED)
    HERE.mkdir(exist_ok=True)
    collectives, individuals, history = [], [], []
    for number, (name, block, size, procedures) in enumerate(COLLECTIVES, start=1):
        key = f"TT{number:02d}"
        planned = rng.randint(0, 3)
        # most collectives with procedures reach the plan's 100%; some lag behind
        digitised = (100 if rng.random() < 0.6 else rng.randint(85, 99)) if procedures else None
        collectives.append(
            [
                key,
                name,
                block,
                RATINGS[pick(rng, {"excellent": 0.45, "good": 0.45, "complete": 0.1})],
                f"{rng.randint(70, 100)}%",
                "" if digitised is None else f"{digitised}%",
                planned,
                rng.randint(max(0, planned - 1), planned),
                f"{rng.randint(50, 100)}%",
                f"{rng.randint(60, 100)}%",
            ]
        )
        for year in (2022, 2023, 2024):
            if rng.random() < 0.6:
                history.append([key, year, "advanced_collective"])
        skilled = rng.uniform(0.7, 1.0)
        for person in range(1, rng.randint(*size) + 1):
            pkey = f"{key}-{person:03d}"
            veteran = rng.random() < 0.05  # a grassroots fighter in each of the last 3 years
            task = "excellent" if veteran and rng.random() < 0.8 else None
            initiative = "provincial" if veteran and rng.random() < 0.5 else None
            individuals.append(
                [
                    pkey,
                    f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    key,
                    RATINGS[
                        task
                        or pick(
                            rng,
                            {"excellent": 0.25, "good": 0.58, "complete": 0.14, "incomplete": 0.03},
                        )
                    ],
                    DISCIPLINE[pick(rng, {"none": 0.96, "reprimand": 0.03, "warning": 0.01})],
                    "" if rng.random() < 0.95 else rng.randint(6, 11),
                    INITIATIVES[
                        initiative
                        or pick(rng, {"none": 0.62, "grassroots": 0.33, "provincial": 0.05})
                    ],
                    "có" if rng.random() < skilled else "không",
                    rng.choice([0, 8, 16, 24, 32, 40]),
                ]
            )
            for year in (2022, 2023, 2024):
                if veteran or rng.random() < 0.07:
                    history.append([pkey, year, "grassroots_fighter"])
                    history.append([pkey, year, "advanced_worker"])
                elif rng.random() < 0.7:
                    history.append([pkey, year, "advanced_worker"])
    for name, columns, rows in (
        ("collective", COLLECTIVE_COLUMNS, collectives),
        ("individual", INDIVIDUAL_COLUMNS, individuals),
        ("history", ["key", "year", "award"], history),
    ):
        with (HERE / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
    print(
        f"wrote {len(collectives)} collectives, {len(individuals)} individuals and "
        f"{len(history)} history rows to {HERE}"
    )


if __name__ == "__main__":
    main()
