// png_blobs: counts the blobs of one colour in a PNG screenshot (the scan page's plot points).
//
//   png_blobs <file.png> <RRGGBB> [min_area]
//
// Prints "<count>" on the first line, then one line per blob: "x y area" (centroid in pixels, size),
// largest first.  A blob is a 4-connected set of pixels within 24 (per channel) of the colour with at
// least min_area pixels (default 40), so anti-aliased edges and thin lines of other colours do not count.
#include <png.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: png_blobs <file.png> <RRGGBB> [min_area]\n");
    return 2;
  }
  const unsigned long rgb = std::strtoul(argv[2], nullptr, 16);
  const int want[3] = {int(rgb >> 16 & 255), int(rgb >> 8 & 255), int(rgb & 255)};
  const long min_area = argc > 3 ? std::atol(argv[3]) : 40;

  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_file(&image, argv[1])) {
    std::fprintf(stderr, "png_blobs: %s: %s\n", argv[1], image.message);
    return 1;
  }
  image.format = PNG_FORMAT_RGB;
  std::vector<png_byte> px(PNG_IMAGE_SIZE(image));
  if (!png_image_finish_read(&image, nullptr, px.data(), 0, nullptr)) {
    std::fprintf(stderr, "png_blobs: %s: %s\n", argv[1], image.message);
    return 1;
  }
  const long w = image.width, h = image.height;
  std::vector<char> match(w * h, 0);
  for (long i = 0; i < w * h; ++i) {
    bool ok = true;
    for (int c = 0; c < 3; ++c) ok = ok && std::abs(int(px[3 * i + c]) - want[c]) <= 24;
    match[i] = ok;
  }
  struct Blob {
    double x, y;
    long area;
  };
  std::vector<Blob> blobs;
  std::vector<long> stack;
  for (long start = 0; start < w * h; ++start) {
    if (!match[start]) continue;
    match[start] = 0;
    stack.assign(1, start);
    long area = 0;
    double sx = 0, sy = 0;
    while (!stack.empty()) {
      const long i = stack.back();
      stack.pop_back();
      ++area;
      sx += i % w;
      sy += i / w;
      const long x = i % w, y = i / w;
      const long next[4] = {x > 0 ? i - 1 : -1, x + 1 < w ? i + 1 : -1, y > 0 ? i - w : -1, y + 1 < h ? i + w : -1};
      for (long n : next)
        if (n >= 0 && match[n]) {
          match[n] = 0;
          stack.push_back(n);
        }
    }
    if (area >= min_area) blobs.push_back({sx / area, sy / area, area});
  }
  std::sort(blobs.begin(), blobs.end(), [](const Blob& a, const Blob& b) { return a.area > b.area; });
  std::printf("%zu\n", blobs.size());
  for (const Blob& b : blobs) std::printf("%.1f %.1f %ld\n", b.x, b.y, b.area);
  return 0;
}
