"""The cases of ../shared/anchors/cv_filter.py (same images, same calls, 2 OpenCV threads), timed by wall clock and
by the process's CPU time (all threads): on a machine other people load, CPU time per call is the steadier measure.
Used by compare_opencv.py; prints `name  wall ms  (cpu X ms)`."""
import time, sys, numpy as np, cv2
cv2.setNumThreads(int(sys.argv[1]) if len(sys.argv) > 1 else 2)


def bench(fn, min_time=1.0):
    fn(); n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while True:
        fn(); n += 1; t = time.perf_counter() - t0
        if t > min_time and n >= 5: return t / n, (time.process_time() - c0) / n


rng = np.random.default_rng(0)
img = rng.integers(0, 256, (1080, 1920, 3), dtype=np.uint8)
imgf = img.astype(np.float32) / 255
k5 = cv2.getGaussianKernel(5, 1.0); k15 = cv2.getGaussianKernel(15, 3.0)
rows = [
    ("opencv GaussianBlur u8 1080p rgb 5x5", lambda: cv2.GaussianBlur(img, (5, 5), 1.0)),
    ("opencv GaussianBlur u8 1080p rgb 15x15", lambda: cv2.GaussianBlur(img, (15, 15), 3.0)),
    ("opencv filter2D f32 1080p rgb 5x5 (non-separable)", lambda: cv2.filter2D(imgf, -1, k5 @ k5.T)),
    ("opencv filter2D f32 1080p rgb 15x15 (non-separable)", lambda: cv2.filter2D(imgf, -1, k15 @ k15.T)),
    ("opencv Sobel f32 1080p rgb 3x3", lambda: cv2.Sobel(imgf, cv2.CV_32F, 1, 0, ksize=3)),
]
for name, fn in rows:
    t, c = bench(fn, 0.5)
    print(f"{name:55s} {t*1e3:9.2f} ms   (cpu {c*1e3:8.2f} ms)")
