// OpenGL 3.2 core (desktop, through ImGui's gl3w-based loader) and OpenGL ES 3
// (WebGL2 under Emscripten): one renderer, two shader headers.
#include <cstddef>
#include <cstdint>

#include <imgui.h>

#include "ilinks/backends.h"
#include "scissor.h"

#if defined(__EMSCRIPTEN__)
#include <GLES3/gl3.h>
#define ILINKS_GLSL_VERSION "#version 300 es\nprecision highp float;\n"
#else
#define IMGL3W_IMPL
#include <imgui_impl_opengl3_loader.h>
#define ILINKS_GLSL_VERSION "#version 150\n"
// Standard GL enums that ImGui's minimal loader does not declare.
#ifndef GL_TEXTURE_WRAP_S
#define GL_TEXTURE_WRAP_S 0x2802
#define GL_TEXTURE_WRAP_T 0x2803
#endif
#ifndef GL_CLAMP_TO_EDGE
#define GL_CLAMP_TO_EDGE 0x812F
#endif
#ifndef GL_UNPACK_ALIGNMENT
#define GL_UNPACK_ALIGNMENT 0x0CF5
#endif
#endif

namespace ilinks {
namespace {

const char* kVertexShader = ILINKS_GLSL_VERSION R"(
uniform mat4 projection;
in vec2 position;
in vec2 uv;
in vec4 colour;
out vec2 frag_uv;
out vec4 frag_colour;
void main() {
  frag_uv = uv;
  frag_colour = colour;
  gl_Position = projection * vec4(position, 0.0, 1.0);
}
)";

const char* kFragmentShader = ILINKS_GLSL_VERSION R"(
uniform sampler2D atlas;
in vec2 frag_uv;
in vec4 frag_colour;
out vec4 out_colour;
void main() {
  out_colour = frag_colour * texture(atlas, frag_uv);
}
)";

bool compile(GLuint shader, const char* source, std::string& error) {
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok) return true;
  char log[512] = {};
  glGetShaderInfoLog(shader, sizeof log, nullptr, log);
  error = std::string("GL shader did not compile: ") + log;
  return false;
}

// The GL state the renderer changes, for hosts that share their context.
struct SavedState {
  GLint program, texture, active_texture, array_buffer, vertex_array, viewport[4], scissor_box[4];
  GLint blend_src_rgb, blend_dst_rgb, blend_src_alpha, blend_dst_alpha, blend_eq_rgb, blend_eq_alpha;
  GLboolean blend, cull_face, depth_test, stencil_test, scissor_test;

  void save() {
    glGetIntegerv(GL_CURRENT_PROGRAM, &program);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture);
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture);
    glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &array_buffer);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vertex_array);
    glGetIntegerv(GL_VIEWPORT, viewport);
    glGetIntegerv(GL_SCISSOR_BOX, scissor_box);
    glGetIntegerv(GL_BLEND_SRC_RGB, &blend_src_rgb);
    glGetIntegerv(GL_BLEND_DST_RGB, &blend_dst_rgb);
    glGetIntegerv(GL_BLEND_SRC_ALPHA, &blend_src_alpha);
    glGetIntegerv(GL_BLEND_DST_ALPHA, &blend_dst_alpha);
    glGetIntegerv(GL_BLEND_EQUATION_RGB, &blend_eq_rgb);
    glGetIntegerv(GL_BLEND_EQUATION_ALPHA, &blend_eq_alpha);
    blend = glIsEnabled(GL_BLEND);
    cull_face = glIsEnabled(GL_CULL_FACE);
    depth_test = glIsEnabled(GL_DEPTH_TEST);
    stencil_test = glIsEnabled(GL_STENCIL_TEST);
    scissor_test = glIsEnabled(GL_SCISSOR_TEST);
  }

  static void set(GLenum cap, GLboolean on) { on ? glEnable(cap) : glDisable(cap); }

  void restore() const {
    glUseProgram(static_cast<GLuint>(program));
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(texture));
    glActiveTexture(static_cast<GLenum>(active_texture));
    glBindVertexArray(static_cast<GLuint>(vertex_array));
    glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(array_buffer));
    glBlendEquationSeparate(static_cast<GLenum>(blend_eq_rgb), static_cast<GLenum>(blend_eq_alpha));
    glBlendFuncSeparate(static_cast<GLenum>(blend_src_rgb), static_cast<GLenum>(blend_dst_rgb),
                        static_cast<GLenum>(blend_src_alpha), static_cast<GLenum>(blend_dst_alpha));
    set(GL_BLEND, blend);
    set(GL_CULL_FACE, cull_face);
    set(GL_DEPTH_TEST, depth_test);
    set(GL_STENCIL_TEST, stencil_test);
    set(GL_SCISSOR_TEST, scissor_test);
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    glScissor(scissor_box[0], scissor_box[1], scissor_box[2], scissor_box[3]);
  }
};

}  // namespace

struct GlRenderer::Impl {
  bool restore_host_state;
  bool ready = false;
  GLuint program = 0, vertex_array = 0, vertex_buffer = 0, index_buffer = 0, texture = 0;
  GLint projection = -1, atlas = -1;
  unsigned uploaded_generation = 0;
};

GlRenderer::GlRenderer(bool restore_host_state) : impl_(new Impl{restore_host_state}) {}

GlRenderer::~GlRenderer() {
  // GL objects belong to the context; a host destroying the context first has
  // already freed them, so only delete what we know is still ours.
  if (impl_->ready) {
    glDeleteTextures(1, &impl_->texture);
    glDeleteBuffers(1, &impl_->vertex_buffer);
    glDeleteBuffers(1, &impl_->index_buffer);
    glDeleteVertexArrays(1, &impl_->vertex_array);
    glDeleteProgram(impl_->program);
  }
  delete impl_;
}

bool GlRenderer::init(std::string& error) {
#if !defined(__EMSCRIPTEN__)
  if (imgl3wInit() != 0) {
    error = "OpenGL could not be loaded (no libGL, or no OpenGL 3.2 driver)";
    return false;
  }
#endif
  if (!glGetString(GL_VERSION)) {
    error = "no OpenGL context is current on this thread";
    return false;
  }
  Impl& r = *impl_;
  GLuint vs = glCreateShader(GL_VERTEX_SHADER), fs = glCreateShader(GL_FRAGMENT_SHADER);
  bool ok = compile(vs, kVertexShader, error) && compile(fs, kFragmentShader, error);
  if (ok) {
    r.program = glCreateProgram();
    glAttachShader(r.program, vs);
    glAttachShader(r.program, fs);
    glLinkProgram(r.program);
    GLint linked = 0;
    glGetProgramiv(r.program, GL_LINK_STATUS, &linked);
    if (!linked) {
      char log[512] = {};
      glGetProgramInfoLog(r.program, sizeof log, nullptr, log);
      error = std::string("GL program did not link: ") + log;
      glDeleteProgram(r.program);
      ok = false;
    }
  }
  glDeleteShader(vs);
  glDeleteShader(fs);
  if (!ok) return false;

  r.projection = glGetUniformLocation(r.program, "projection");
  r.atlas = glGetUniformLocation(r.program, "atlas");
  GLint saved_vao = 0, saved_buffer = 0;
  if (r.restore_host_state) {
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &saved_vao);
    glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &saved_buffer);
  }
  glGenVertexArrays(1, &r.vertex_array);
  glGenBuffers(1, &r.vertex_buffer);
  glGenBuffers(1, &r.index_buffer);
  glBindVertexArray(r.vertex_array);
  glBindBuffer(GL_ARRAY_BUFFER, r.vertex_buffer);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, r.index_buffer);  // recorded in the VAO
  const GLuint position = static_cast<GLuint>(glGetAttribLocation(r.program, "position"));
  const GLuint uv = static_cast<GLuint>(glGetAttribLocation(r.program, "uv"));
  const GLuint colour = static_cast<GLuint>(glGetAttribLocation(r.program, "colour"));
  glEnableVertexAttribArray(position);
  glEnableVertexAttribArray(uv);
  glEnableVertexAttribArray(colour);
  const auto stride = static_cast<GLsizei>(sizeof(ImDrawVert));
  glVertexAttribPointer(position, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(uv, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(colour, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(offsetof(ImDrawVert, col)));
  glGenTextures(1, &r.texture);
  if (r.restore_host_state) {
    glBindVertexArray(static_cast<GLuint>(saved_vao));
    glBindBuffer(GL_ARRAY_BUFFER, static_cast<GLuint>(saved_buffer));
  }
  r.ready = true;
  return true;
}

void GlRenderer::render(const ImDrawData& data, const RgbaTexture& font, unsigned font_generation,
                        int fb_width, int fb_height) {
  Impl& r = *impl_;
  if (!r.ready || fb_width <= 0 || fb_height <= 0) return;
  SavedState saved{};
  if (r.restore_host_state) saved.save();

  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, r.texture);
  if (r.uploaded_generation != font_generation) {
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, font.width, font.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, font.pixels);
    r.uploaded_generation = font_generation;
  }

  glViewport(0, 0, fb_width, fb_height);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);

  // Orthographic projection of the display rectangle onto clip space, y down.
  const float L = data.DisplayPos.x, R = data.DisplayPos.x + data.DisplaySize.x;
  const float T = data.DisplayPos.y, B = data.DisplayPos.y + data.DisplaySize.y;
  const float projection[16] = {2.0f / (R - L), 0, 0, 0, 0, 2.0f / (T - B), 0, 0,
                                0, 0, -1.0f, 0, (R + L) / (L - R), (T + B) / (B - T), 0, 1.0f};
  glUseProgram(r.program);
  glUniform1i(r.atlas, 0);
  glUniformMatrix4fv(r.projection, 1, GL_FALSE, projection);
  glBindVertexArray(r.vertex_array);
  glBindBuffer(GL_ARRAY_BUFFER, r.vertex_buffer);

  const GLenum index_type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
  for (int n = 0; n < data.CmdListsCount; ++n) {
    const ImDrawList* list = data.CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->VtxBuffer.Size) * static_cast<GLsizeiptr>(sizeof(ImDrawVert)),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->IdxBuffer.Size) * static_cast<GLsizeiptr>(sizeof(ImDrawIdx)),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    // The widget does not set ImGuiBackendFlags_RendererHasVtxOffset, so
    // VtxOffset is always 0 and plain glDrawElements (all WebGL2 has) suffices.
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) continue;
      PixelRect clip = scissor_of(cmd, data, fb_width, fb_height);
      if (clip.empty()) continue;
      glScissor(clip.x0, fb_height - clip.y1, clip.x1 - clip.x0, clip.y1 - clip.y0);
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount), index_type,
                     reinterpret_cast<void*>(static_cast<std::uintptr_t>(cmd.IdxOffset * sizeof(ImDrawIdx))));
    }
  }
  if (r.restore_host_state) saved.restore();
}

}  // namespace ilinks
