"""Writes the example's data: the 40 units of the Ministry of Culture, Sports and Tourism in
three emulation blocks and about 2,000 of their staff. Seeded, so the files never change.
Columns are titled with the criteria's Vietnamese labels, as a ministry's sheet would be.

    python examples/ministry-culture-dx/generate.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 2025
HERE = Path(__file__).parent / "data"
BLOCKS = {
    "advisory": "Khối các cơ quan tham mưu, tổng hợp",
    "management": "Khối các cục quản lý nhà nước",
    "service": "Khối các đơn vị sự nghiệp",
}
RATINGS = {
    "incomplete": "Không hoàn thành nhiệm vụ",
    "complete": "Hoàn thành nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
}
DISCIPLINE = {"none": "", "reprimand": "Khiển trách", "warning": "Cảnh cáo"}
# (name, block, staff range, settles administrative procedures)
UNITS = [
    ("Văn phòng Bộ", "advisory", (60, 80), True),
    ("Vụ Tổ chức cán bộ", "advisory", (25, 35), False),
    ("Vụ Kế hoạch, Tài chính", "advisory", (25, 35), False),
    ("Vụ Pháp chế", "advisory", (18, 25), False),
    ("Vụ Khoa học, Công nghệ và Môi trường", "advisory", (18, 25), False),
    ("Vụ Hợp tác quốc tế", "advisory", (20, 30), False),
    ("Vụ Đào tạo", "advisory", (18, 25), False),
    ("Vụ Gia đình", "advisory", (15, 22), False),
    ("Vụ Văn hóa dân tộc", "advisory", (15, 22), False),
    ("Thanh tra Bộ", "advisory", (30, 40), False),
    ("Cục Di sản văn hóa", "management", (45, 60), True),
    ("Cục Nghệ thuật biểu diễn", "management", (35, 50), True),
    ("Cục Điện ảnh", "management", (30, 45), True),
    ("Cục Bản quyền tác giả", "management", (30, 45), True),
    ("Cục Văn hóa cơ sở", "management", (35, 50), False),
    ("Cục Mỹ thuật, Nhiếp ảnh và Triển lãm", "management", (30, 45), True),
    ("Cục Hợp tác quốc tế", "management", (25, 35), True),
    ("Cục Thể dục thể thao Việt Nam", "management", (70, 95), True),
    ("Cục Du lịch Quốc gia Việt Nam", "management", (70, 95), True),
    ("Cục Báo chí", "management", (40, 55), True),
    ("Cục Phát thanh, truyền hình và thông tin điện tử", "management", (45, 60), True),
    ("Cục Xuất bản, In và Phát hành", "management", (40, 55), True),
    ("Cục Thông tin cơ sở và Thông tin đối ngoại", "management", (35, 50), False),
    ("Bảo tàng Lịch sử quốc gia", "service", (90, 120), False),
    ("Bảo tàng Mỹ thuật Việt Nam", "service", (45, 65), False),
    ("Bảo tàng Hồ Chí Minh", "service", (80, 110), False),
    ("Thư viện Quốc gia Việt Nam", "service", (90, 120), False),
    ("Viện Văn hóa Nghệ thuật quốc gia Việt Nam", "service", (60, 85), False),
    ("Trường Đại học Văn hóa Hà Nội", "service", (80, 110), False),
    ("Học viện Âm nhạc quốc gia Việt Nam", "service", (80, 110), False),
    ("Trường Đại học Sân khấu - Điện ảnh Hà Nội", "service", (60, 85), False),
    ("Nhà hát Chèo Việt Nam", "service", (40, 60), False),
    ("Nhà hát Tuồng Việt Nam", "service", (35, 55), False),
    ("Nhà hát Múa rối Việt Nam", "service", (35, 55), False),
    ("Nhà hát Kịch Việt Nam", "service", (40, 60), False),
    ("Nhà hát Ca Múa Nhạc Việt Nam", "service", (45, 65), False),
    ("Báo Văn hóa", "service", (40, 60), False),
    ("Tạp chí Văn hóa Nghệ thuật", "service", (20, 30), False),
    ("Trung tâm Công nghệ thông tin", "service", (25, 35), False),
    ("Ban Quản lý Làng Văn hóa - Du lịch các dân tộc Việt Nam", "service", (40, 60), False),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Thanh", "Ngọc", "Quang", "Hồng", "Hữu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hương", "Khoa", "Lan", "Linh"]
GIVEN += ["Long", "Mai", "Minh", "Nam", "Ngọc", "Phương", "Quân", "Sơn", "Thảo", "Trang"]
GIVEN += ["Tuấn", "Việt", "Vy", "Yến"]
UNIT_COLUMNS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Khối thi đua",
    "Mức độ hoàn thành nhiệm vụ",
    "Tỷ lệ văn bản đi được ký số, gửi nhận trên môi trường điện tử",
    "Tỷ lệ cuộc họp không giấy",
    "Tỷ lệ hồ sơ công việc được số hóa",
    "Tỷ lệ hồ sơ thủ tục hành chính trực tuyến toàn trình",
    "Số sự cố mất an toàn thông tin",
]
STAFF_COLUMNS = [
    "Mã cán bộ",
    "Họ và tên",
    "Đơn vị công tác",
    "Mức độ hoàn thành nhiệm vụ",
    "Hình thức kỷ luật",
    "Số tháng công tác trong năm",
    "Hoàn thành chương trình Bình dân học vụ số",
    "Số giờ bồi dưỡng kỹ năng số",
    "Số sáng kiến, giải pháp chuyển đổi số được công nhận",
]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def percent(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}%"


def main() -> None:
    rng = random.Random(SEED)
    HERE.mkdir(exist_ok=True)
    units, staff = [], []
    for number, (name, block, size, procedures) in enumerate(UNITS, start=1):
        key = f"BVH{number:02d}"
        # a third of the units reach every member with "Bình dân học vụ số" in 2025
        completion = 1.0 if rng.random() < 0.35 else rng.uniform(0.8, 0.99)
        units.append(
            [
                key,
                name,
                BLOCKS[block],
                RATINGS[pick(rng, {"excellent": 0.45, "good": 0.45, "complete": 0.1})],
                percent(rng, 75, 100),
                percent(rng, 40, 100),
                percent(rng, 55, 100),
                percent(rng, 35, 100) if procedures else "",
                pick(rng, {"0": 0.85, "1": 0.12, "2": 0.03}),
            ]
        )
        for person in range(1, rng.randint(*size) + 1):
            solutions = pick(rng, {"0": 0.78, "1": 0.17, "2": 0.05})
            staff.append(
                [
                    f"{key}-{person:03d}",
                    f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    key,
                    RATINGS[
                        pick(
                            rng,
                            {"excellent": 0.22, "good": 0.6, "complete": 0.15, "incomplete": 0.03},
                        )
                    ],
                    DISCIPLINE[pick(rng, {"none": 0.97, "reprimand": 0.02, "warning": 0.01})],
                    "" if rng.random() < 0.95 else str(rng.randint(5, 11)),
                    "có" if rng.random() < completion else "không",
                    rng.choice([0, 4, 8, 12, 16, 20, 24, 32]),
                    "" if solutions == "0" else solutions,
                ]
            )
    for name, columns, rows in (
        ("unit", UNIT_COLUMNS, units),
        ("staff", STAFF_COLUMNS, staff),
    ):
        with (HERE / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
    print(f"wrote {len(units)} units and {len(staff)} staff to {HERE}")


if __name__ == "__main__":
    main()
