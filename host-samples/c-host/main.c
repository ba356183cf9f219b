/*
 * A plain C host, compiled as C99: what a vendor's first afternoon with the
 * library looks like. It draws a record into its own RGBA buffer (no GPU) and
 * shows how errors come back. Prints one line per step; exits 0 on success.
 *
 *   ilinks-c-host bundle.json
 */
#include <stdio.h>
#include <stdlib.h>

#include "ilinks.h"

static char* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* data = NULL;
  long n = 0;
  if (!f) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    data = (char*)malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) { free(data); data = NULL; }
  }
  fclose(f);
  *size = (size_t)n;
  return data;
}

int main(int argc, char** argv) {
  ilinks_viewer* viewer = NULL;
  unsigned char* pixels = NULL;
  const int width = 640, height = 200;
  size_t size = 0;
  char* bytes;
  int rc;

  if (argc != 2) { fprintf(stderr, "usage: ilinks-c-host FILE.json\n"); return 2; }
  printf("library %s, header %s\n", ilinks_version(), ILINKS_VERSION);

  bytes = read_file(argv[1], &size);
  if (!bytes) { fprintf(stderr, "%s: cannot be read\n", argv[1]); return 1; }
  if ((rc = ilinks_viewer_create(&viewer)) != ILINKS_OK) { fprintf(stderr, "create: %s\n", ilinks_result_text(rc)); return 1; }

  rc = ilinks_viewer_load_fhir(viewer, bytes, size, argv[1]);
  free(bytes);
  if (rc != ILINKS_OK) {
    printf("load: %s: %s\n", ilinks_result_text(rc), ilinks_viewer_last_error(viewer));
    ilinks_viewer_destroy(viewer);
    return 1;
  }
  printf("load: ok\n");

  ilinks_viewer_set_size(viewer, width, height, 1.0f);
  pixels = (unsigned char*)malloc((size_t)width * 4 * height);
  if (!pixels) return 1;
  rc = ilinks_viewer_render_rgba(viewer, pixels, width * 4, (size_t)width * 4 * height);
  printf("render: %s, first pixel %d,%d,%d,%d\n", ilinks_result_text(rc), pixels[0], pixels[1], pixels[2], pixels[3]);

  /* A too-small buffer is refused with a reason, never written past. */
  rc = ilinks_viewer_render_rgba(viewer, pixels, width * 4, 16);
  printf("small buffer: %s: %s\n", ilinks_result_text(rc), ilinks_viewer_last_error(viewer));

  free(pixels);
  ilinks_viewer_destroy(viewer);
  return 0;
}
