// The C ABI: every entry point catches everything, sets the last error, and
// returns a code. No exception or C++ type crosses the boundary.
#include "ilinks.h"

#include <cstring>
#include <new>
#include <optional>
#include <string>

#include <imgui.h>

#include "ilinks/backends.h"
#include "ilinks/fhir.h"
#include "ilinks/policy.h"
#include "ilinks/record_widget.h"

struct ilinks_viewer {
  ilinks::RecordWidget widget;
  const ilinks::Policy& policy = ilinks::Policy::builtin();
  std::optional<ilinks::GlRenderer> gl;
  bool gl_owned = false;
  std::string last_error;

  int fail(int code, std::string message) {
    last_error = std::move(message);
    return code;
  }
  int ok() {
    last_error.clear();
    return ILINKS_OK;
  }
};

namespace {

// Runs `body` and turns any escaping exception into a result code.
template <typename Body>
int guarded(ilinks_viewer* v, const char* call, Body&& body) {
  if (!v) return ILINKS_ERROR_ARGUMENT;
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return v->fail(ILINKS_ERROR_MEMORY, std::string(call) + ": out of memory");
  } catch (const std::exception& e) {
    return v->fail(ILINKS_ERROR_INTERNAL, std::string(call) + ": unexpected failure: " + e.what());
  } catch (...) {
    return v->fail(ILINKS_ERROR_INTERNAL, std::string(call) + ": unexpected failure");
  }
}

}  // namespace

extern "C" {

const char* ilinks_version(void) { return ILINKS_VERSION; }

const char* ilinks_result_text(int result) {
  switch (result) {
    case ILINKS_OK: return "ok";
    case ILINKS_ERROR_ARGUMENT: return "invalid argument";
    case ILINKS_ERROR_INPUT: return "the record could not be read";
    case ILINKS_ERROR_GRAPHICS: return "no usable OpenGL context";
    case ILINKS_ERROR_MEMORY: return "out of memory";
    case ILINKS_ERROR_INTERNAL: return "internal error";
    default: return "unknown result code";
  }
}

int ilinks_viewer_create(ilinks_viewer** out) {
  if (!out) return ILINKS_ERROR_ARGUMENT;
  *out = nullptr;
  try {
    *out = new ilinks_viewer();
    return ILINKS_OK;
  } catch (const std::bad_alloc&) {
    return ILINKS_ERROR_MEMORY;
  } catch (...) {
    return ILINKS_ERROR_INTERNAL;
  }
}

void ilinks_viewer_destroy(ilinks_viewer* v) { delete v; }

const char* ilinks_viewer_last_error(const ilinks_viewer* v) {
  return v ? v->last_error.c_str() : "ilinks_viewer_last_error: the viewer is NULL";
}

int ilinks_viewer_load_fhir(ilinks_viewer* v, const char* data, size_t size, const char* source_name) {
  return guarded(v, "ilinks_viewer_load_fhir", [&] {
    std::string source = source_name && *source_name ? source_name : "the record";
    if (!data && size > 0) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_load_fhir: data is NULL");
    v->widget.clear();  // never leave the previous person on screen
    if (size == 0) return v->fail(ILINKS_ERROR_INPUT, source + ": is empty");
    try {
      ilinks::Record record = ilinks::read_fhir_json(std::string_view(data, size), source);
      // ABI 0.1 has no viewer context or consent yet (issue 6): it shows the
      // consent-required view, with the loaded record's identity standing in
      // for the host's, and nothing else from the record.
      v->widget.show(v->policy.consent_request(record.patient()));
    } catch (const ilinks::InputError& e) {
      return v->fail(ILINKS_ERROR_INPUT, e.what());
    }
    return v->ok();
  });
}

int ilinks_viewer_clear(ilinks_viewer* v) {
  return guarded(v, "ilinks_viewer_clear", [&] {
    v->widget.clear();
    return v->ok();
  });
}

int ilinks_viewer_set_size(ilinks_viewer* v, int width, int height, float scale) {
  return guarded(v, "ilinks_viewer_set_size", [&] {
    if (width < 1 || height < 1 || width > 16384 || height > 16384)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_size: width and height must be 1..16384 pixels");
    if (!(scale >= 0.5f && scale <= 4.0f))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_size: scale must be between 0.5 and 4");
    v->widget.set_size(width, height, scale);
    return v->ok();
  });
}

int ilinks_viewer_set_today(ilinks_viewer* v, const char* text) {
  return guarded(v, "ilinks_viewer_set_today", [&] {
    auto date = text ? ilinks::Date::parse_iso_day(text) : std::nullopt;
    if (!date)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_set_today: expected a date as YYYY-MM-DD");
    v->widget.set_today(*date);
    return v->ok();
  });
}

int ilinks_viewer_needs_redraw(const ilinks_viewer* v) { return v && v->widget.needs_redraw() ? 1 : 0; }

int ilinks_viewer_render_rgba(ilinks_viewer* v, unsigned char* pixels, int stride, size_t buffer_size) {
  return guarded(v, "ilinks_viewer_render_rgba", [&] {
    const int w = v->widget.width(), h = v->widget.height();
    if (!pixels) return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_render_rgba: pixels is NULL");
    if (stride < 4 * w)
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_render_rgba: stride_bytes is less than 4 x width (" +
                                                std::to_string(4 * w) + ")");
    if (buffer_size < static_cast<size_t>(stride) * static_cast<size_t>(h))
      return v->fail(ILINKS_ERROR_ARGUMENT, "ilinks_viewer_render_rgba: buffer_size is less than stride_bytes x height (" +
                                                std::to_string(static_cast<size_t>(stride) * static_cast<size_t>(h)) + ")");
    for (int y = 0; y < h; ++y) std::memset(pixels + static_cast<size_t>(y) * static_cast<size_t>(stride), 0, static_cast<size_t>(4 * w));
    const ImDrawData& frame = v->widget.draw_frame();
    ilinks::rasterize(frame, v->widget.font_texture(), {pixels, w, h, stride});
    return v->ok();
  });
}

int ilinks_viewer_render_gl(ilinks_viewer* v) {
  return guarded(v, "ilinks_viewer_render_gl", [&] {
    if (!v->gl) {
      v->gl.emplace(!v->gl_owned);
      std::string error;
      if (!v->gl->init(error)) {
        v->gl.reset();
        return v->fail(ILINKS_ERROR_GRAPHICS, "ilinks_viewer_render_gl: " + error);
      }
    }
    const ImDrawData& frame = v->widget.draw_frame();
    v->gl->render(frame, v->widget.font_texture(), v->widget.font_generation(), v->widget.width(), v->widget.height());
    return v->ok();
  });
}

int ilinks_viewer_set_gl_context_owned(ilinks_viewer* v, int owned) {
  return guarded(v, "ilinks_viewer_set_gl_context_owned", [&] {
    if (v->gl)
      return v->fail(ILINKS_ERROR_ARGUMENT,
                     "ilinks_viewer_set_gl_context_owned: must be called before the first ilinks_viewer_render_gl");
    v->gl_owned = owned != 0;
    return v->ok();
  });
}

}  // extern "C"
