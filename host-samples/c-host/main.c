/*
 * A plain C host, compiled as C99: what a vendor's first afternoon with the
 * library looks like. It draws a record into its own RGBA buffer (no GPU) and
 * shows how errors come back. Prints one line per step; exits 0 on success.
 *
 *   ilinks-c-host bundle.json
 *   ilinks-c-host bundle.json out.png PROFILE ODS
 *
 * The second form is pixels mode for a viewer: user "c.host" with the role
 * PROFILE at organisation ODS, a care relationship, and the person's verbal
 * consent; the record is drawn at 1000 x 700 and written as a PNG.
 */
#include <stdio.h>
#include <stdlib.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBIW_ONLY_PNG
#include <stb/stb_image_write.h>

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

static int audit_kept(void* user_data, const char* event_json) {
  (void)event_json;
  ++*(int*)user_data;
  return 1; /* a real host stores the event before answering 1 */
}

/* Pixels mode: the record as this viewer may see it, to a PNG. */
static int render_png(const char* record, const char* out, const char* profile, const char* ods) {
  const int width = 1000, height = 700;
  ilinks_viewer* viewer = NULL;
  unsigned char* pixels = NULL;
  size_t size = 0;
  char* bytes = read_file(record, &size);
  int events = 0, rc;
  if (!bytes) { fprintf(stderr, "%s: cannot be read\n", record); return 1; }
  if ((rc = ilinks_viewer_create(&viewer)) != ILINKS_OK) { free(bytes); return 1; }
  rc = ilinks_viewer_set_audit_callback(viewer, audit_kept, &events);
  if (rc == ILINKS_OK) rc = ilinks_viewer_set_context(viewer, "c.host", "C host", profile, ods, ods, 1);
  if (rc == ILINKS_OK) rc = ilinks_viewer_load_fhir(viewer, bytes, size, record);
  if (rc == ILINKS_OK) rc = ilinks_viewer_record_consent(viewer, "verbal", "patient");
  if (rc == ILINKS_OK) rc = ilinks_viewer_set_size(viewer, width, height, 1.0f);
  free(bytes);
  pixels = (unsigned char*)malloc((size_t)width * 4 * height);
  if (rc == ILINKS_OK && !pixels) rc = ILINKS_ERROR_MEMORY;
  while (rc == ILINKS_OK) { /* until the layout has settled */
    rc = ilinks_viewer_render_rgba(viewer, pixels, width * 4, (size_t)width * 4 * height);
    if (!ilinks_viewer_needs_redraw(viewer)) break;
  }
  if (rc != ILINKS_OK) {
    fprintf(stderr, "%s: %s\n", ilinks_result_text(rc), ilinks_viewer_last_error(viewer));
  } else if (!stbi_write_png(out, width, height, 4, pixels, width * 4)) {
    fprintf(stderr, "%s: cannot be written\n", out);
    rc = ILINKS_ERROR_ARGUMENT;
  } else {
    printf("png: %s, %d audit events\n", out, events);
  }
  free(pixels);
  ilinks_viewer_destroy(viewer);
  return rc == ILINKS_OK ? 0 : 1;
}

int main(int argc, char** argv) {
  ilinks_viewer* viewer = NULL;
  unsigned char* pixels = NULL;
  const int width = 640, height = 200;
  size_t size = 0;
  char* bytes;
  int rc;

  if (argc == 5) return render_png(argv[1], argv[2], argv[3], argv[4]);
  if (argc != 2) { fprintf(stderr, "usage: ilinks-c-host FILE.json [OUT.png PROFILE ODS]\n"); return 2; }
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
