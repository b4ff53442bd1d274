"""Consultation: near-duplicate clustering of public comments (character n-gram TF-IDF, cosine)."""
import random
import time
from types import SimpleNamespace

from benchmarks.table import print_table

PHRASES = ["ขอให้ขยายถนนสายหลักเข้าสนามบิน", "อยากได้ทางจักรยานริมหาด", "ควรมีศูนย์ดูแลผู้สูงอายุในชุมชน",
           "ปัญหาขยะล้นที่ตลาดเช้า", "น้ำประปาไหลอ่อนช่วงหน้าแล้ง", "ส่งเสริมการท่องเที่ยวชุมชนบ้านบางเทา",
           "ติดตั้งกล้อง CCTV ที่ชายหาด", "พัฒนาทักษะภาษาอังกฤษให้คนขับรถรับจ้าง"]


def synthetic(n: int, seed: int = 7):
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        base = rnd.choice(PHRASES)
        text = base + rnd.choice(["", "ค่ะ", "ครับ", " ด่วน", "!!", " 🙏"]) + (f" เรื่องที่ {i}" if rnd.random() < .5 else "")
        out.append(SimpleNamespace(pk=i, text=text, project_title=""))
    return out


def run():
    from oneplan.consultation.grouping import duplicate_clusters

    duplicate_clusters(synthetic(10))  # warm up: importing scikit-learn is not part of the work
    rows = []
    for n in (100, 500, 1000, 3000):
        comments = synthetic(n)
        started = time.perf_counter()
        clusters = duplicate_clusters(comments)
        rows.append([n, len(clusters), sum(len(c) for c in clusters), f"{(time.perf_counter() - started) * 1000:.0f}"])
    print_table(["comments", "clusters", "comments in clusters", "ms"], rows)
