/* A program as a vendor would write it against the installed package: it
 * loads a record, records consent, and prints what a screen reader would get.
 *   consumer RECORD.json  -> exit 0 when the record shows after consent */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ilinks.h>

static char* slurp(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* data = malloc((size_t)n);
  *size = data ? fread(data, 1, (size_t)n, f) : 0;
  fclose(f);
  return data;
}

static int keep(void* user_data, const char* event_json) {
  (void)event_json;
  ++*(int*)user_data;
  return 1;
}

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  printf("header %s, library %s\n", ILINKS_VERSION, ilinks_version());
  size_t size = 0;
  char* data = slurp(argv[1], &size);
  if (!data) return 2;
  ilinks_viewer* v = NULL;
  int events = 0;
  if (ilinks_viewer_create(&v) != ILINKS_OK) return 1;
  int rc = ilinks_viewer_set_audit_callback(v, keep, &events);
  if (rc == ILINKS_OK) rc = ilinks_viewer_set_context(v, "u1", "Dr Test", "1a", "ZZTEST", "Test Hospital", 1);
  if (rc == ILINKS_OK) rc = ilinks_viewer_load_fhir(v, data, size, argv[1]);
  if (rc == ILINKS_OK) rc = ilinks_viewer_record_consent(v, "verbal", "patient");
  free(data);
  if (rc != ILINKS_OK) {
    fprintf(stderr, "consumer: %s\n", ilinks_viewer_last_error(v));
    ilinks_viewer_destroy(v);
    return 1;
  }
  size_t needed = 0;
  ilinks_viewer_mirror(v, 0, NULL, 0, &needed);
  char* text = malloc(needed);
  rc = text ? ilinks_viewer_mirror(v, 0, text, needed, &needed) : ILINKS_ERROR_MEMORY;
  int shown = rc == ILINKS_OK && strstr(text, "tabpanel: Summary") != NULL;
  printf("%d audit events; record shown: %s\n", events, shown ? "yes" : "no");
  free(text);
  ilinks_viewer_destroy(v);
  return shown && events == 3 ? 0 : 1;
}
