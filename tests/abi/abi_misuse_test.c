/* The C ABI from C, misused as a hurried integration would: NULL handles and
 * pointers, calls in the wrong order, buffers too small, calls after destroy.
 * Every one must come back as an error code with words, never a crash.
 *   abi_misuse_test RECORD.json      exit 0 when every check holds */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ilinks.h"

static int failures = 0, checks = 0;
#define CHECK(cond)                                                        \
  do {                                                                     \
    ++checks;                                                              \
    if (!(cond)) { ++failures; printf("FAILED line %d: %s\n", __LINE__, #cond); } \
  } while (0)

static char* slurp(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  char* data = NULL;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = (char*)malloc((size_t)n);
  *size = data ? fread(data, 1, (size_t)n, f) : 0;
  fclose(f);
  return data;
}

static int contains(const char* text, const char* part) { return text && strstr(text, part) != NULL; }

int main(int argc, char** argv) {
  ilinks_viewer* v = NULL;
  unsigned char pixels[64];
  char small[8];
  size_t needed = 0, size = 0;
  char* record;
  if (argc != 2) return 2;
  record = slurp(argv[1], &size);
  if (!record) return 2;

  /* NULL everywhere */
  CHECK(ilinks_viewer_create(NULL) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_fhir(NULL, record, size, "x") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_set_context(NULL, "u", "n", "1a", "ZZ", "o", 1) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_record_consent(NULL, "verbal", "patient") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_render_rgba(NULL, pixels, 16, sizeof pixels) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_mirror(NULL, 0, NULL, 0, NULL) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_needs_redraw(NULL) == 0);
  CHECK(contains(ilinks_viewer_last_error(NULL), "NULL"));
  ilinks_viewer_destroy(NULL);

  CHECK(ilinks_viewer_create(&v) == ILINKS_OK);
  /* NULL pointers on a live viewer */
  CHECK(ilinks_viewer_load_fhir(v, NULL, 10, "x") == ILINKS_ERROR_ARGUMENT);
  CHECK(contains(ilinks_viewer_last_error(v), "data is NULL"));
  CHECK(ilinks_viewer_set_today(v, NULL) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_set_tab(v, NULL) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_text_input(v, NULL) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_render_rgba(v, NULL, 16, 0) == ILINKS_ERROR_ARGUMENT);

  /* ABI 0.3: through a sharing service */
  CHECK(ilinks_viewer_load_view_json(NULL, "{}", 2, "x") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_view_json(v, NULL, 10, "x") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_view_json(v, record, size, argv[1]) == ILINKS_ERROR_INPUT); /* a record is not a View */
  CHECK(contains(ilinks_viewer_last_error(v), "ilinks-view/1"));
  CHECK(ilinks_viewer_set_service(v, "ftp://service.example", NULL, NULL, 0) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_set_service(v, "https://service.example", NULL, NULL, 0) == ILINKS_ERROR_ARGUMENT);
  CHECK(contains(ilinks_viewer_last_error(v), "token provider"));
  CHECK(ilinks_viewer_load_from_service(v) == ILINKS_ERROR_ARGUMENT); /* no service set */
  CHECK(ilinks_viewer_record_consent_for(v, "verbal", "patient", "everyone") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_on_service_action(NULL, NULL, NULL) == ILINKS_ERROR_ARGUMENT);

  /* ABI 0.4: a record that arrives in pieces, given out of order */
  CHECK(ilinks_viewer_load_fhir_begin(NULL, 0, "x") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_fhir_more(v, record, size) == ILINKS_ERROR_ARGUMENT); /* no begin */
  CHECK(contains(ilinks_viewer_last_error(v), "no record is arriving"));
  CHECK(ilinks_viewer_load_fhir_end(v) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_fhir_begin(v, (size_t)-1, NULL) == ILINKS_OK); /* an absurd size is only a hint */
  CHECK(ilinks_viewer_load_fhir_more(v, NULL, 3) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_fhir_end(v) == ILINKS_ERROR_ARGUMENT); /* abandoned by the NULL */

  /* Wrong order: consent before any record or viewer context */
  CHECK(ilinks_viewer_record_consent(v, "verbal", "patient") == ILINKS_ERROR_REFUSED);
  CHECK(ilinks_viewer_start_override(v, "emergency", "Collapsed, cannot consent") == ILINKS_ERROR_REFUSED);
  CHECK(ilinks_viewer_record_case_access(v, "extended-team", "Virtual ward MDT review") == ILINKS_ERROR_REFUSED);
  CHECK(ilinks_viewer_record_case_access(v, NULL, "Virtual ward MDT review") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_record_case_access(NULL, "extended-team", "Virtual ward MDT review") == ILINKS_ERROR_ARGUMENT);
  /* ... and a record before a context: only identity and a consent request */
  CHECK(ilinks_viewer_load_fhir(v, record, size, argv[1]) == ILINKS_OK);
  CHECK(ilinks_viewer_record_consent(v, "verbal", "patient") == ILINKS_ERROR_REFUSED);

  /* Buffers too small: refused, nothing written past them */
  memset(small, 'x', sizeof small);
  CHECK(ilinks_viewer_mirror(v, 0, small, sizeof small, &needed) == ILINKS_ERROR_BUFFER);
  CHECK(needed > sizeof small);
  CHECK(small[0] == 'x');
  CHECK(contains(ilinks_viewer_last_error(v), "the mirror needs"));
  CHECK(ilinks_viewer_set_size(v, 100, 100, 1.0f) == ILINKS_OK);
  CHECK(ilinks_viewer_render_rgba(v, pixels, 400, sizeof pixels) == ILINKS_ERROR_ARGUMENT);
  CHECK(contains(ilinks_viewer_last_error(v), "buffer_size"));

  /* Values out of range */
  CHECK(ilinks_viewer_set_size(v, 0, 100, 1.0f) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_set_size(v, 100, 100, 9.0f) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_set_today(v, "22/11/2026") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_key(v, 0, 1, 0) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_mouse_button(v, -1, 1) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_set_context(v, "u", "n", "99", "ZZ", "o", 1) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_fhir(v, "{", 1, "broken.json") == ILINKS_ERROR_INPUT);
  CHECK(contains(ilinks_viewer_last_error(v), "broken.json"));

  /* After destroy: refused, not read */
  ilinks_viewer_destroy(v);
  CHECK(ilinks_viewer_load_fhir(v, record, size, argv[1]) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_set_size(v, 100, 100, 1.0f) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_fhir_begin(v, 0, "x") == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_fhir_more(v, record, size) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_load_fhir_end(v) == ILINKS_ERROR_ARGUMENT);
  CHECK(ilinks_viewer_needs_redraw(v) == 0);
  CHECK(ilinks_viewer_mirror_version(v) == 0);
  CHECK(contains(ilinks_viewer_last_error(v), "not a live viewer"));
  ilinks_viewer_destroy(v); /* twice: harmless */

  free(record);
  printf("%d checks, %d failed\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
