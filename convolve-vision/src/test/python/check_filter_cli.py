#!/usr/bin/env python3
"""Checks `./convolve filter` on the full shared photographs against OpenCV, pixel by pixel.

For each photo, kernel and border: runs the command, then compares its PNG with cv2.filter2D computed in double
precision with the same border, clipped to [0, 255] and rounded half up. Prints the largest difference and the share
of pixels that differ; fails when a difference exceeds one grey level. Run from the repository root after a build:

    /usr/bin/python3 convolve-vision/src/test/python/check_filter_cli.py
"""
import os, subprocess, sys, tempfile
import numpy as np
import cv2

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
BORDERS = {"zero": cv2.BORDER_CONSTANT, "reflect": cv2.BORDER_REFLECT_101, "replicate": cv2.BORDER_REPLICATE, "mirror": cv2.BORDER_REFLECT}


def images():
    d = ROOT
    while os.path.dirname(d) != d:
        p = os.path.join(os.path.dirname(d), "shared", "images")
        if os.path.isdir(p):
            return p
        d = os.path.dirname(d)
    sys.exit("no ../shared/images beside the repository")


def gaussian(size, sigma):
    g = cv2.getGaussianKernel(size, sigma)
    return g @ g.T


CASES = [  # (kernel spec for convolve, matrix, border)
    ("gaussian", gaussian(5, 1.0), "reflect"),
    ("gaussian:size=15,sigma=3", gaussian(15, 3.0), "replicate"),
    ("sobel-x", np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), "zero"),
    ("laplacian8", np.array([[1, 1, 1], [1, -8, 1], [1, 1, 1]]), "mirror"),
    ("sharpen", np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]), "reflect"),
    ("emboss", np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]), "replicate"),
    ("box:size=7", np.ones((7, 7)) / 49, "reflect"),
]


def main():
    src = images()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(src)):
            if not name.endswith((".png", ".jpg")):
                continue
            img = cv2.imread(os.path.join(src, name), cv2.IMREAD_UNCHANGED)
            for spec, k, border in CASES:
                out = os.path.join(tmp, "out.png")
                subprocess.run([os.path.join(ROOT, "convolve"), "filter", os.path.join(src, name), out, "--kernel", spec, "--border", border],
                               check=True, capture_output=True)
                ours = cv2.imread(out, cv2.IMREAD_UNCHANGED).astype(np.int32)
                ref = cv2.filter2D(img.astype(np.float64), cv2.CV_64F, np.asarray(k, np.float64), borderType=BORDERS[border])
                ref = np.floor(np.clip(ref, 0, 255) + 0.5).astype(np.int32)
                d = np.abs(ours - ref)
                print(f"{name:24s} {spec:26s} {border:9s} max difference {d.max()}  pixels differing {np.mean(d > 0) * 100:.4f}%")
                bad += d.max() > 1
    if bad:
        sys.exit(f"{bad} cases differ by more than one grey level")
    print("all within one grey level")


if __name__ == "__main__":
    main()
