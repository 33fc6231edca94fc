"""Writes the example's data: 28 ministries and central agencies and the 34 provinces and
centrally-run cities after 1 July 2025, in seven emulation clusters, with one year's
indicators for the seven contents and the titles of 2025 and 2026. Seeded, so the files
never change. Columns are titled with the criteria's Vietnamese labels, as the clusters'
report sheets would be.

    python examples/national-dx-2025/generate.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

SEED = 923  # Decision 923/QĐ-TTg
HERE = Path(__file__).parent / "data"
MINISTRY = "Bộ, ngành, cơ quan trung ương"
PROVINCE = "Tỉnh, thành phố trực thuộc trung ương"
ECONOMIC = "Khối các bộ, ngành kinh tế"
SOCIAL = "Khối các bộ, ngành văn hóa - xã hội"
GENERAL = "Khối các bộ, ngành nội chính và tổng hợp"
NORTH = "Cụm các tỉnh miền núi, trung du phía Bắc"
DELTA = "Cụm các tỉnh, thành phố đồng bằng sông Hồng và Bắc Trung Bộ"
CENTRAL = "Cụm các tỉnh, thành phố miền Trung và Tây Nguyên"
SOUTH = "Cụm các tỉnh, thành phố Nam Bộ"
MINISTRIES = {
    ECONOMIC: [
        "Bộ Tài chính",
        "Bộ Công Thương",
        "Bộ Nông nghiệp và Môi trường",
        "Bộ Xây dựng",
        "Bộ Khoa học và Công nghệ",
        "Ngân hàng Nhà nước Việt Nam",
        "Ngân hàng Chính sách xã hội",
        "Ngân hàng Phát triển Việt Nam",
        "Kiểm toán nhà nước",
    ],
    SOCIAL: [
        "Bộ Văn hóa, Thể thao và Du lịch",
        "Bộ Giáo dục và Đào tạo",
        "Bộ Y tế",
        "Bộ Dân tộc và Tôn giáo",
        "Đài Truyền hình Việt Nam",
        "Đài Tiếng nói Việt Nam",
        "Thông tấn xã Việt Nam",
        "Đại học Quốc gia Hà Nội",
        "Đại học Quốc gia Thành phố Hồ Chí Minh",
    ],
    GENERAL: [
        "Bộ Ngoại giao",
        "Bộ Nội vụ",
        "Bộ Tư pháp",
        "Thanh tra Chính phủ",
        "Văn phòng Chính phủ",
        "Tòa án nhân dân tối cao",
        "Viện kiểm sát nhân dân tối cao",
        "Học viện Chính trị quốc gia Hồ Chí Minh",
        "Viện Hàn lâm Khoa học xã hội Việt Nam",
        "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
    ],
}
# the 34 provinces and centrally-run cities from 1 July 2025 (Resolution 202/2025/QH15);
# the share of the digital economy is higher where electronics and services concentrate
PROVINCES = {
    NORTH: [
        "Tỉnh Cao Bằng",
        "Tỉnh Điện Biên",
        "Tỉnh Lai Châu",
        "Tỉnh Lạng Sơn",
        "Tỉnh Lào Cai",
        "Tỉnh Phú Thọ",
        "Tỉnh Sơn La",
        "Tỉnh Thái Nguyên",
        "Tỉnh Tuyên Quang",
    ],
    DELTA: [
        "Thành phố Hà Nội",
        "Thành phố Hải Phòng",
        "Tỉnh Bắc Ninh",
        "Tỉnh Hưng Yên",
        "Tỉnh Ninh Bình",
        "Tỉnh Quảng Ninh",
        "Tỉnh Thanh Hóa",
        "Tỉnh Nghệ An",
        "Tỉnh Hà Tĩnh",
    ],
    CENTRAL: [
        "Tỉnh Quảng Trị",
        "Thành phố Huế",
        "Thành phố Đà Nẵng",
        "Tỉnh Quảng Ngãi",
        "Tỉnh Gia Lai",
        "Tỉnh Đắk Lắk",
        "Tỉnh Khánh Hòa",
        "Tỉnh Lâm Đồng",
    ],
    SOUTH: [
        "Thành phố Hồ Chí Minh",
        "Tỉnh Đồng Nai",
        "Tỉnh Tây Ninh",
        "Thành phố Cần Thơ",
        "Tỉnh Vĩnh Long",
        "Tỉnh Đồng Tháp",
        "Tỉnh An Giang",
        "Tỉnh Cà Mau",
    ],
}
DIGITAL_HUBS = {
    "Thành phố Hà Nội",
    "Thành phố Hồ Chí Minh",
    "Tỉnh Bắc Ninh",
    "Tỉnh Thái Nguyên",
    "Thành phố Hải Phòng",
    "Thành phố Đà Nẵng",
}
COLUMNS = [
    "Mã đơn vị",
    "Tên bộ, ngành, địa phương",
    "Loại đơn vị",
    "Cụm, khối thi đua",
    "Ban hành kế hoạch và tiêu chí thi đua trong quý II năm 2025",
    "Tỷ lệ văn bản, hồ sơ công việc xử lý trên môi trường số",
    "Mức độ hoàn thành chỉ tiêu hạ tầng số và nền tảng dữ liệu",
    "Tỷ lệ dịch vụ công trực tuyến toàn trình",
    "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến",
    "Tỷ trọng kinh tế số trong GRDP",
    "Tỷ lệ hoàn thành nhiệm vụ phát triển kinh tế số, doanh nghiệp công nghệ được giao",
    "Tỷ lệ cán bộ, công chức, viên chức hoàn thành Bình dân học vụ số",
    "Tỷ lệ hệ thống thông tin được phê duyệt cấp độ và bảo đảm an toàn",
    "Số sự cố mất an toàn thông tin nghiêm trọng",
    "Số chương trình, dự án hợp tác quốc tế về khoa học, công nghệ và chuyển đổi số",
]


def percent(rng: random.Random, strength: float, low: int, spread: int) -> int:
    """A share from `low` up to 100, higher for a stronger member, with some noise."""
    return min(100, round(low + spread * strength + rng.uniform(-8, 8)))


def main() -> None:
    rng = random.Random(SEED)
    HERE.mkdir(exist_ok=True)
    members, history = [], []
    units = [
        *((MINISTRY, cluster, name) for cluster, names in MINISTRIES.items() for name in names),
        *((PROVINCE, cluster, name) for cluster, names in PROVINCES.items() for name in names),
    ]
    counters = {MINISTRY: 0, PROVINCE: 0}
    strengths: dict[str, list[tuple[float, str]]] = {}
    for tier, cluster, name in units:
        counters[tier] += 1
        key = f"{'B' if tier == MINISTRY else 'T'}{counters[tier]:02d}"
        hub = name in DIGITAL_HUBS
        # how far along the member is, 0..1: the digital hubs are further on average
        strength = rng.betavariate(5, 2) if hub else rng.betavariate(3, 2)
        economy = (
            f"{round(rng.uniform(22, 34) if hub else 6 + 18 * strength + rng.uniform(-3, 3), 1)}%"
            if tier == PROVINCE
            else ""
        )
        members.append(
            [
                key,
                name,
                tier,
                cluster,
                "có" if rng.random() < 0.85 else "không",
                f"{percent(rng, strength, 80, 22)}%",
                f"{percent(rng, strength, 60, 42)}%",
                f"{percent(rng, strength, 45, 55)}%",
                f"{percent(rng, strength, 40, 55)}%",
                economy,
                f"{percent(rng, strength, 60, 42)}%" if tier == MINISTRY else "",
                f"{percent(rng, strength, 55, 48)}%",
                f"{percent(rng, strength, 55, 48)}%",
                1 if rng.random() < 0.08 else 0,
                min(6, max(0, round(5 * strength + rng.uniform(-2, 2)))),
            ]
        )
        strengths.setdefault(cluster, []).append((strength, key))
        for year in (2025, 2026):
            if rng.random() < 0.1 + 0.7 * strength:
                history.append([key, year, "outstanding"])
    # the past flags: each year, one of the cluster's outstanding members, most often a strong one
    for ranked in strengths.values():
        for year in (2025, 2026):
            held = {row[0] for row in history if row[1] == year and row[2] == "outstanding"}
            candidates = [(s + rng.uniform(0, 0.3), key) for s, key in ranked if key in held]
            if candidates:
                history.append([max(candidates)[1], year, "cluster_leader"])
    history.sort(key=lambda row: (row[0], row[1], row[2]))
    for name, columns, rows in (
        ("member", COLUMNS, members),
        ("history", ["key", "year", "award"], history),
    ):
        with (HERE / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(rows)
    print(f"wrote {len(members)} members and {len(history)} history rows to {HERE}")


if __name__ == "__main__":
    main()
