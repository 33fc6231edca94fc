"""Writes the example's data: 60 state bodies of Hà Nội and their 1,500 or so cadres, civil
servants and public employees, 25 mass organisations, 120 enterprises, the 126 communes and
wards formed on 1 July 2025, and the history of the 526 communes and wards they were formed
from (2022-2024) with a `predecessor` row for each. Seeded, so the files never change.
Columns are titled with the criteria's Vietnamese labels, as the city's sheets would be.

    python examples/capital-city-plan/generate.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 923  # Decision 923/QĐ-TTg on the movement
HERE = Path(__file__).parent / "data"
RATINGS = {
    "incomplete": "Không hoàn thành nhiệm vụ",
    "complete": "Hoàn thành nhiệm vụ",
    "good": "Hoàn thành tốt nhiệm vụ",
    "excellent": "Hoàn thành xuất sắc nhiệm vụ",
}
INITIATIVES = {"none": "", "grassroots": "Sáng kiến cấp cơ sở", "city": "Sáng kiến cấp Thành phố"}
DISCIPLINE = {"none": "", "reprimand": "Khiển trách", "warning": "Cảnh cáo"}
BODIES = [
    "Văn phòng Ủy ban nhân dân Thành phố",
    "Sở Nội vụ",
    "Sở Tài chính",
    "Sở Tư pháp",
    "Sở Công Thương",
    "Sở Xây dựng",
    "Sở Nông nghiệp và Môi trường",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa và Thể thao",
    "Sở Du lịch",
    "Sở Quy hoạch - Kiến trúc",
    "Sở Dân tộc và Tôn giáo",
    "Thanh tra Thành phố",
    "Ban Quản lý các khu công nghệ cao và khu công nghiệp Thành phố",
    "Trung tâm Phục vụ hành chính công Thành phố",
    "Trung tâm Công nghệ thông tin và Chuyển đổi số",
    "Đài Phát thanh và Truyền hình Hà Nội",
    "Báo Hà Nội mới",
    "Trường Đại học Thủ đô Hà Nội",
    "Trường Cao đẳng Công nghệ cao Hà Nội",
    "Trường Cao đẳng Y tế Hà Nội",
    "Bệnh viện Đa khoa Xanh Pôn",
    "Bệnh viện Thanh Nhàn",
    "Bệnh viện Đa khoa Đức Giang",
    "Bệnh viện Đa khoa Hà Đông",
    "Bệnh viện Đa khoa Sơn Tây",
    "Bệnh viện Tim Hà Nội",
    "Bệnh viện Ung bướu Hà Nội",
    "Bệnh viện Phụ sản Hà Nội",
    "Bệnh viện Nhi Hà Nội",
    "Trung tâm Kiểm soát bệnh tật Thành phố",
    "Trung tâm Cấp cứu 115 Hà Nội",
    "Thư viện Hà Nội",
    "Bảo tàng Hà Nội",
    "Trung tâm Bảo tồn Di sản Thăng Long - Hà Nội",
    "Ban Quản lý Di tích Văn Miếu - Quốc Tử Giám",
    "Trung tâm Xúc tiến Đầu tư, Thương mại, Du lịch Thành phố",
    "Văn phòng Đăng ký đất đai Hà Nội",
    "Trung tâm Phát triển quỹ đất Hà Nội",
    "Ban Quản lý dự án đầu tư xây dựng công trình giao thông Thành phố",
    "Ban Quản lý dự án đầu tư xây dựng công trình dân dụng Thành phố",
    "Ban Quản lý đường sắt đô thị Hà Nội",
    "Trung tâm Quản lý và Điều hành giao thông đô thị",
    "Trung tâm Dịch vụ việc làm Hà Nội",
    "Trung tâm Trợ giúp pháp lý Nhà nước Thành phố",
    "Quỹ Đầu tư phát triển Thành phố",
    "Trung tâm Khuyến nông Hà Nội",
    "Chi cục Thủy lợi Hà Nội",
    "Chi cục Kiểm lâm Hà Nội",
    "Trung tâm Quan trắc tài nguyên và môi trường Hà Nội",
    "Trung tâm Thông tin, Dữ liệu tài nguyên và môi trường",
    "Trung tâm Đăng kiểm xe cơ giới Hà Nội",
    "Trung tâm Kiểm định chất lượng công trình xây dựng",
    "Viện Nghiên cứu phát triển kinh tế - xã hội Hà Nội",
    "Trung tâm Nghệ thuật Âm nhạc Thăng Long",
    "Nhà hát Kịch Hà Nội",
    "Trung tâm Huấn luyện và Thi đấu thể dục thể thao Hà Nội",
    "Cung Văn hóa Thể thao Thanh niên Hà Nội",
]
ORGANISATIONS = [
    "Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố",
    "Liên đoàn Lao động Thành phố",
    "Thành đoàn Hà Nội",
    "Hội Liên hiệp Phụ nữ Thành phố",
    "Hội Nông dân Thành phố",
    "Hội Cựu chiến binh Thành phố",
    "Liên hiệp các Hội Khoa học và Kỹ thuật Thành phố",
    "Liên minh Hợp tác xã Thành phố",
    "Hội Chữ thập đỏ Thành phố",
    "Hội Luật gia Thành phố",
    "Hội Nhà báo Thành phố",
    "Hội Liên hiệp Văn học Nghệ thuật Hà Nội",
    "Hội Người cao tuổi Thành phố",
    "Hội Khuyến học Thành phố",
    "Hội Doanh nghiệp nhỏ và vừa Thành phố",
    "Hội Sinh viên Thành phố",
    "Hội Liên hiệp Thanh niên Việt Nam Thành phố",
    "Hội Cựu thanh niên xung phong Thành phố",
    "Hội Người mù Thành phố",
    "Hội Nạn nhân chất độc da cam/dioxin Thành phố",
    "Hội Kiến trúc sư Hà Nội",
    "Hội Tin học Hà Nội",
    "Hội Đông y Thành phố",
    "Liên hiệp các tổ chức hữu nghị Thành phố",
    "Hội Bảo trợ người khuyết tật và trẻ mồ côi Thành phố",
]
WARDS = [
    "Hoàn Kiếm",
    "Cửa Nam",
    "Ba Đình",
    "Ngọc Hà",
    "Giảng Võ",
    "Hai Bà Trưng",
    "Vĩnh Tuy",
    "Bạch Mai",
    "Đống Đa",
    "Kim Liên",
    "Văn Miếu - Quốc Tử Giám",
    "Láng",
    "Ô Chợ Dừa",
    "Hồng Hà",
    "Lĩnh Nam",
    "Hoàng Mai",
    "Vĩnh Hưng",
    "Tương Mai",
    "Định Công",
    "Hoàng Liệt",
    "Yên Sở",
    "Thanh Xuân",
    "Khương Đình",
    "Phương Liệt",
    "Cầu Giấy",
    "Nghĩa Đô",
    "Yên Hòa",
    "Tây Hồ",
    "Phú Thượng",
    "Tây Tựu",
    "Phú Diễn",
    "Xuân Đỉnh",
    "Đông Ngạc",
    "Thượng Cát",
    "Từ Liêm",
    "Xuân Phương",
    "Tây Mỗ",
    "Đại Mỗ",
    "Long Biên",
    "Bồ Đề",
    "Việt Hưng",
    "Phúc Lợi",
    "Hà Đông",
    "Dương Nội",
    "Yên Nghĩa",
    "Phú Lương",
    "Kiến Hưng",
    "Thanh Liệt",
    "Chương Mỹ",
    "Sơn Tây",
    "Tùng Thiện",
]
COMMUNES = [
    "Thanh Trì",
    "Đại Thanh",
    "Nam Phù",
    "Ngọc Hồi",
    "Thượng Phúc",
    "Thường Tín",
    "Chương Dương",
    "Hồng Vân",
    "Phú Xuyên",
    "Phượng Dực",
    "Chuyên Mỹ",
    "Đại Xuyên",
    "Thanh Oai",
    "Bình Minh",
    "Tam Hưng",
    "Dân Hòa",
    "Vân Đình",
    "Ứng Thiên",
    "Hòa Xá",
    "Ứng Hòa",
    "Mỹ Đức",
    "Hồng Sơn",
    "Phúc Sơn",
    "Hương Sơn",
    "Phú Nghĩa",
    "Xuân Mai",
    "Trần Phú",
    "Hòa Phú",
    "Quảng Bị",
    "Minh Châu",
    "Quảng Oai",
    "Vật Lại",
    "Cổ Đô",
    "Bất Bạt",
    "Suối Hai",
    "Ba Vì",
    "Yên Bài",
    "Đoài Phương",
    "Phúc Thọ",
    "Phúc Lộc",
    "Hát Môn",
    "Thạch Thất",
    "Hạ Bằng",
    "Tây Phương",
    "Hòa Lạc",
    "Yên Xuân",
    "Quốc Oai",
    "Hưng Đạo",
    "Kiều Phú",
    "Phú Cát",
    "Hoài Đức",
    "Dương Hòa",
    "Sơn Đồng",
    "An Khánh",
    "Đan Phượng",
    "Ô Diên",
    "Liên Minh",
    "Gia Lâm",
    "Thuận An",
    "Bát Tràng",
    "Phù Đổng",
    "Thư Lâm",
    "Đông Anh",
    "Phúc Thịnh",
    "Thiên Lộc",
    "Vĩnh Thanh",
    "Mê Linh",
    "Yên Lãng",
    "Tiến Thắng",
    "Quang Minh",
    "Sóc Sơn",
    "Đa Phúc",
    "Nội Bài",
    "Trung Giã",
    "Kim Anh",
]
PREDECESSORS = 526  # communes and wards before 1 July 2025
UNMERGED = 3  # units kept as they were: their own history, no predecessor row
RENAMED = 4  # units with one predecessor: a new key and name
ENTERPRISE_WORDS = ["Công nghệ", "Thương mại", "Xây dựng", "Dược phẩm", "May mặc", "Thực phẩm"]
ENTERPRISE_WORDS += ["Điện tử", "Logistics", "Du lịch", "Cơ khí", "Phần mềm", "Nông sản sạch"]
ENTERPRISE_NAMES = ["Thăng Long", "Hồng Hà", "Long Biên", "Tràng An", "Hà Thành", "Kinh Bắc"]
ENTERPRISE_NAMES += ["Sông Đà", "Ba Vì", "Tây Hồ", "Hoàn Kiếm", "Đông Đô", "Phù Đổng", "Sóc Sơn"]
ENTERPRISE_FORMS = ["Công ty Cổ phần", "Công ty TNHH", "Công ty TNHH Một thành viên"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Đinh"]
FAMILY += ["Dương", "Phan", "Trịnh", "Lương", "Tạ", "Kiều", "Khuất", "Chu"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Thanh", "Ngọc", "Quang", "Hồng", "Hải"]
GIVEN = ["An", "Bình", "Chi", "Cường", "Dũng", "Giang", "Hà", "Hằng", "Hiếu", "Hoa", "Hùng"]
GIVEN += ["Huyền", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phương"]
GIVEN += ["Quân", "Sơn", "Thảo", "Trang", "Trung", "Tú", "Tuấn", "Vân", "Yến"]
BODY_COLUMNS = [
    "Mã cơ quan",
    "Tên cơ quan, đơn vị",
    "Mức độ hoàn thành nhiệm vụ",
    "Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình",
    "Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa",
    "Tỷ lệ văn bản đi được ký số, gửi nhận trên môi trường điện tử",
    "Số sáng kiến, giải pháp chuyển đổi số được công nhận",
]
ORGANISATION_COLUMNS = [
    "Mã tổ chức",
    "Tên tổ chức",
    "Mức độ hoàn thành nhiệm vụ",
    "Số hội viên, đoàn viên",
    "Số hội viên, đoàn viên hoàn thành Bình dân học vụ số",
    "Số hoạt động, mô hình tổ chức trên nền tảng số",
    "Số sáng kiến, mô hình vận động nhân dân được công nhận",
]
ENTERPRISE_COLUMNS = [
    "Mã số doanh nghiệp",
    "Tên doanh nghiệp",
    "Tỷ lệ chi đầu tư cho chuyển đổi số trên tổng chi đầu tư",
    "Số nền tảng số sử dụng trong quản trị, sản xuất, kinh doanh",
    "Số sản phẩm, dịch vụ, quy trình đổi mới sáng tạo được công nhận",
    "Tỷ trọng doanh thu từ kênh số",
    "Chấp hành tốt pháp luật về thuế, lao động, môi trường",
]
PERSON_COLUMNS = [
    "Mã cán bộ",
    "Họ và tên",
    "Cơ quan, đơn vị công tác",
    "Mức độ hoàn thành nhiệm vụ",
    "Hình thức kỷ luật",
    "Số tháng công tác trong năm",
    "Sáng kiến được công nhận",
    "Được xác nhận kỹ năng số (Bình dân học vụ số)",
    "Số giờ bồi dưỡng kỹ năng số",
]
COMMUNE_COLUMNS = [
    "Mã xã, phường",
    "Tên xã, phường",
    "Loại đơn vị",
    "Chỉ số chuyển đổi số cấp xã",
    "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến",
    "Tỷ lệ giao dịch thanh toán không dùng tiền mặt tại bộ phận một cửa",
]
HISTORY_COLUMNS = ["key", "year", "award", "name", "value", "predecessor"]


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def percent(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high)}%"


def state_bodies(rng: random.Random) -> tuple[list[list[object]], list[list[object]]]:
    bodies, people = [], []
    for number, name in enumerate(BODIES, start=1):
        key = f"CQ{number:02d}"
        bodies.append(
            [
                key,
                name,
                RATINGS[pick(rng, {"excellent": 0.4, "good": 0.5, "complete": 0.1})],
                percent(rng, 55, 100),
                percent(rng, 60, 100),
                percent(rng, 80, 100),
                pick(rng, {"0": 0.3, "1": 0.4, "2": 0.2, "3": 0.1}),
            ]
        )
        skilled = rng.uniform(0.6, 1.0)
        for person in range(1, rng.randint(15, 36) + 1):
            people.append(
                [
                    f"{key}-{person:03d}",
                    f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                    key,
                    RATINGS[
                        pick(
                            rng,
                            {"excellent": 0.25, "good": 0.6, "complete": 0.13, "incomplete": 0.02},
                        )
                    ],
                    DISCIPLINE[pick(rng, {"none": 0.97, "reprimand": 0.02, "warning": 0.01})],
                    "" if rng.random() < 0.95 else rng.randint(6, 11),
                    INITIATIVES[pick(rng, {"none": 0.62, "grassroots": 0.33, "city": 0.05})],
                    "có" if rng.random() < skilled else "không",
                    rng.choice([0, 8, 16, 24, 32, 40, 48, 60]),
                ]
            )
    return bodies, people


def organisations(rng: random.Random) -> list[list[object]]:
    rows = []
    for number, name in enumerate(ORGANISATIONS, start=1):
        members = rng.randint(800, 60000) if number > 6 else rng.randint(150000, 900000)
        rows.append(
            [
                f"TC{number:02d}",
                name,
                RATINGS[pick(rng, {"excellent": 0.45, "good": 0.45, "complete": 0.1})],
                members,
                round(members * rng.uniform(0.45, 0.98)),
                rng.randint(2, 14),
                rng.randint(0, 3),
            ]
        )
    return rows


def enterprises(rng: random.Random) -> list[list[object]]:
    rows, names, keys = [], set(), set()
    while len(rows) < 120:
        name = (
            f"{rng.choice(ENTERPRISE_FORMS)} {rng.choice(ENTERPRISE_WORDS)} "
            f"{rng.choice(ENTERPRISE_NAMES)}"
        )
        key = f"01{rng.randint(0, 99_999_999):08d}"  # a Hà Nội tax code
        if name in names or key in keys:
            continue
        names.add(name)
        keys.add(key)
        rows.append(
            [
                key,
                name,
                percent(rng, 2, 12),
                rng.randint(2, 7),
                pick(rng, {"0": 0.4, "1": 0.3, "2": 0.2, "3": 0.1}),
                percent(rng, 10, 60),
                "có" if rng.random() < 0.95 else "không",
            ]
        )
    return rows


def communes(rng: random.Random) -> tuple[list[list[object]], list[list[object]]]:
    """The 126 units of today and the history of those they were formed from: every unit's
    predecessors (a merged unit's 2 to 8, a renamed unit's one) are the communes and wards of
    before 1 July 2025, whose index and title of 2022-2024 are written under their keys."""
    units = [("P", "Phường", name) for name in WARDS] + [("X", "Xã", name) for name in COMMUNES]
    merged = len(units) - UNMERGED - RENAMED
    # each merged unit gets at least two predecessors, then the rest are dealt at random
    sizes = [2] * merged
    for _ in range(PREDECESSORS - UNMERGED - RENAMED - 2 * merged):
        sizes[rng.choice([i for i, size in enumerate(sizes) if size < 8])] += 1
    # which units are kept as they were, and which only renamed
    kept = set(rng.sample(range(len(units)), UNMERGED + RENAMED))
    unmerged = set(sorted(kept)[:UNMERGED])
    rows, history, old = [], [], 0
    for number, (prefix, kind, name) in enumerate(units):
        key = f"{prefix}{number + 1:03d}"
        if number in unmerged:
            lineage = [key]  # its own history, no predecessor row
        else:
            count = 1 if number in kept else sizes.pop()
            lineage = []
            for _ in range(count):
                old += 1
                lineage.append(f"CU{old:04d}")
                history.append([key, 2025, "", "", "", lineage[-1]])
        level = rng.uniform(50, 85) if prefix == "P" else rng.uniform(40, 80)
        indices = []
        for source in lineage:
            start = min(level + rng.uniform(-12, 12), 95)
            for year in (2022, 2023, 2024):
                index = round(min(start + (year - 2022) * rng.uniform(0, 6), 99), 1)
                if not (year == 2024 and rng.random() < 0.01):  # a report never sent
                    history.append([source, year, "", "dx_index", index, ""])
                if index >= 70 and rng.random() < 0.85:
                    history.append([source, year, "dx_good", "", "", ""])
            indices.append(start)
        index = round(min(sum(indices) / len(indices) + rng.uniform(0, 22), 99), 1)
        rows.append(
            [
                key,
                f"{kind} {name}",
                kind,
                index,
                percent(rng, 70 if prefix == "P" else 55, 100),
                percent(rng, 40, 95),
            ]
        )
    history.sort(key=lambda row: (str(row[0]), int(row[1]), str(row[2]), str(row[3])))
    return rows, history


def main() -> None:
    rng = random.Random(SEED)
    HERE.mkdir(exist_ok=True)
    bodies, people = state_bodies(rng)
    orgs = organisations(rng)
    firms = enterprises(rng)
    units, history = communes(rng)
    for name, columns, rows in (
        ("body", BODY_COLUMNS, bodies),
        ("organisation", ORGANISATION_COLUMNS, orgs),
        ("enterprise", ENTERPRISE_COLUMNS, firms),
        ("person", PERSON_COLUMNS, people),
        ("commune", COMMUNE_COLUMNS, units),
        ("history", HISTORY_COLUMNS, history),
    ):
        with (HERE / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
    print(
        f"wrote {len(bodies)} bodies, {len(orgs)} organisations, {len(firms)} enterprises, "
        f"{len(people)} people, {len(units)} communes and wards and {len(history)} history "
        f"rows to {HERE}"
    )


if __name__ == "__main__":
    main()
