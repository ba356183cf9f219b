/*
 * A plain C host, compiled as C99: what a vendor's first afternoon with the
 * library looks like. It draws a record into its own RGBA buffer (no GPU) and
 * shows how errors come back. Prints one line per step; exits 0 on success.
 *
 *   ilinks-c-host bundle.json
 *   ilinks-c-host bundle.json out.png PROFILE ODS
 *   ilinks-c-host --service URL NHS_NUMBER TOKEN_COMMAND out.png
 *
 * The second form is pixels mode for a viewer: user "c.host" with the role
 * PROFILE at organisation ODS, a care relationship, and the person's verbal
 * consent; the record is drawn at 1000 x 700 and written as a PNG.
 *
 * The third is the same through a sharing service: the host holds no record.
 * TOKEN_COMMAND (run by the shell for each request) prints a context token
 * signed by the host's own issuer for its user and the person; the viewer
 * asks the service at URL for the View, records the person's verbal consent
 * there, and draws what the service sends.
 */
#define _POSIX_C_SOURCE 200809L /* popen: the token command */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Draws until the layout has settled, then writes a PNG. */
static int draw_to_png(ilinks_viewer* viewer, int rc, const char* out, int width, int height) {
  unsigned char* pixels = (unsigned char*)malloc((size_t)width * 4 * height);
  if (rc == ILINKS_OK) rc = ilinks_viewer_set_size(viewer, width, height, 1.0f);
  if (rc == ILINKS_OK && !pixels) rc = ILINKS_ERROR_MEMORY;
  while (rc == ILINKS_OK) {
    rc = ilinks_viewer_render_rgba(viewer, pixels, width * 4, (size_t)width * 4 * height);
    if (!ilinks_viewer_needs_redraw(viewer)) break;
  }
  if (rc != ILINKS_OK) {
    fprintf(stderr, "%s: %s\n", ilinks_result_text(rc), ilinks_viewer_last_error(viewer));
  } else if (!stbi_write_png(out, width, height, 4, pixels, width * 4)) {
    fprintf(stderr, "%s: cannot be written\n", out);
    rc = ILINKS_ERROR_ARGUMENT;
  }
  free(pixels);
  return rc;
}

/* The host's token provider: one fresh token per request, from its own
 * signer (here a command; a real EPR signs in its back end). */
static size_t token_from_command(void* user_data, int reason, char* buffer, size_t buffer_size) {
  FILE* p = popen((const char*)user_data, "r");
  size_t n = 0;
  (void)reason; /* a fresh token either way */
  if (!p) return 0;
  n = fread(buffer, 1, buffer_size - 1, p);
  if (pclose(p) != 0) return 0;
  while (n > 0 && (buffer[n - 1] == '\n' || buffer[n - 1] == '\r')) --n;
  buffer[n] = '\0';
  return n;
}

/* Service mode: the View the sharing service makes for this host's user. */
static int render_from_service(const char* url, const char* nhs_number, const char* token_command, const char* out) {
  ilinks_viewer* viewer = NULL;
  char* text = NULL;
  size_t needed = 0;
  int rc = ilinks_viewer_create(&viewer);
  if (rc != ILINKS_OK) return 1;
  rc = ilinks_viewer_set_patient(viewer, nhs_number);
  if (rc == ILINKS_OK) rc = ilinks_viewer_set_service(viewer, url, token_from_command, (void*)token_command, 10000);
  if (rc == ILINKS_OK) rc = ilinks_viewer_load_from_service(viewer);
  if (rc == ILINKS_OK) printf("service: View received\n");
  if (rc == ILINKS_OK) rc = ilinks_viewer_record_consent(viewer, "verbal", "patient");
  if (rc == ILINKS_OK) printf("service: consent recorded there\n");
  rc = draw_to_png(viewer, rc, out, 1000, 700);
  /* Who is on screen, as a screen reader hears it: the banner's heading. */
  if (rc == ILINKS_OK && ilinks_viewer_mirror(viewer, 0, NULL, 0, &needed) == ILINKS_ERROR_BUFFER && (text = malloc(needed))) {
    const char* heading = NULL;
    if (ilinks_viewer_mirror(viewer, 0, text, needed, &needed) == ILINKS_OK && (heading = strstr(text, "heading 1: ")))
      printf("png: %s; on screen: %.*s\n", out, (int)strcspn(heading, "\n"), heading);
    free(text);
  }
  ilinks_viewer_destroy(viewer);
  return rc == ILINKS_OK ? 0 : 1;
}

/* Pixels mode: the record as this viewer may see it, to a PNG. */
static int render_png(const char* record, const char* out, const char* profile, const char* ods) {
  ilinks_viewer* viewer = NULL;
  size_t size = 0;
  char* bytes = read_file(record, &size);
  int events = 0, rc;
  if (!bytes) { fprintf(stderr, "%s: cannot be read\n", record); return 1; }
  if ((rc = ilinks_viewer_create(&viewer)) != ILINKS_OK) { free(bytes); return 1; }
  rc = ilinks_viewer_set_audit_callback(viewer, audit_kept, &events);
  if (rc == ILINKS_OK) rc = ilinks_viewer_set_context(viewer, "c.host", "C host", profile, ods, ods, 1);
  if (rc == ILINKS_OK) rc = ilinks_viewer_load_fhir(viewer, bytes, size, record);
  if (rc == ILINKS_OK) rc = ilinks_viewer_record_consent(viewer, "verbal", "patient");
  free(bytes);
  rc = draw_to_png(viewer, rc, out, 1000, 700);
  if (rc == ILINKS_OK) printf("png: %s, %d audit events\n", out, events);
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

  if (argc == 6 && strcmp(argv[1], "--service") == 0) return render_from_service(argv[2], argv[3], argv[4], argv[5]);
  if (argc == 5) return render_png(argv[1], argv[2], argv[3], argv[4]);
  if (argc != 2) {
    fprintf(stderr, "usage: ilinks-c-host FILE.json [OUT.png PROFILE ODS]\n"
                    "       ilinks-c-host --service URL NHS_NUMBER TOKEN_COMMAND OUT.png\n");
    return 2;
  }
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
