// ilinks-desktop: a native desktop host. It owns a GLFW window with an OpenGL
// 3.2 core context and calls the component inside it once per frame, the way a
// desktop EPR embeds it ("host owns the GL context").
//
//   ilinks-desktop --record bundle.json [--today YYYY-MM-DD]
//                  [--size 1024x640] [--screenshot out.png]
//
// It draws only when the component says something changed or the window needs
// repainting, and otherwise sleeps in glfwWaitEvents(): an idle record costs no
// CPU. --screenshot writes the first settled frame to a PNG and exits (tests).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <GLFW/glfw3.h>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include "ilinks.h"

namespace {

struct Host {
  ilinks_viewer* viewer = nullptr;
  bool repaint = true;  // the window system lost our pixels (expose, resize)
};

bool save_framebuffer(const char* path, int width, int height) {
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * static_cast<size_t>(height) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  // GL rows run bottom-up; PNG rows top-down.
  return stbi_write_png(path, width, height, 4, pixels.data() + static_cast<size_t>(width) * 4 * static_cast<size_t>(height - 1),
                        -width * 4) != 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string record_path, today, screenshot;
  int width = 1024, height = 640;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--record") record_path = value;
    else if (arg == "--today") today = value;
    else if (arg == "--screenshot") screenshot = value;
    else if (arg == "--size") {
      if (std::sscanf(value.c_str(), "%dx%d", &width, &height) != 2) { std::fprintf(stderr, "ilinks-desktop: --size takes WIDTHxHEIGHT\n"); return 2; }
    } else { std::fprintf(stderr, "ilinks-desktop: unknown option %s\n", arg.c_str()); return 2; }
  }
  if (record_path.empty()) {
    std::fprintf(stderr, "usage: ilinks-desktop --record FILE [--today YYYY-MM-DD] [--size WxH] [--screenshot out.png]\n");
    return 2;
  }
  std::ifstream in(record_path, std::ios::binary);
  if (!in) { std::fprintf(stderr, "ilinks-desktop: %s: cannot be opened for reading\n", record_path.c_str()); return 1; }
  std::ostringstream text;
  text << in.rdbuf();
  const std::string bytes = text.str();

  glfwSetErrorCallback([](int, const char* message) { std::fprintf(stderr, "ilinks-desktop: GLFW: %s\n", message); });
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 2);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(width, height, "Sample desktop EPR - integrated record", nullptr, nullptr);
  if (!window) { glfwTerminate(); return 1; }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(1);

  Host host;
  int status = 0;
  if (ilinks_viewer_create(&host.viewer) != ILINKS_OK) return 1;
  if ((!today.empty() && ilinks_viewer_set_today(host.viewer, today.c_str()) != ILINKS_OK) ||
      ilinks_viewer_load_fhir(host.viewer, bytes.data(), bytes.size(), record_path.c_str()) != ILINKS_OK) {
    std::fprintf(stderr, "ilinks-desktop: %s\n", ilinks_viewer_last_error(host.viewer));
    status = 1;  // the window still opens: it shows that no record is loaded
  }
  glfwSetWindowUserPointer(window, &host);
  glfwSetWindowRefreshCallback(window, [](GLFWwindow* w) { static_cast<Host*>(glfwGetWindowUserPointer(w))->repaint = true; });
  glfwSetFramebufferSizeCallback(window, [](GLFWwindow* w, int, int) { static_cast<Host*>(glfwGetWindowUserPointer(w))->repaint = true; });

  while (!glfwWindowShouldClose(window)) {
    int fb_width = 0, fb_height = 0;
    float scale_x = 1, scale_y = 1;
    glfwGetFramebufferSize(window, &fb_width, &fb_height);
    glfwGetWindowContentScale(window, &scale_x, &scale_y);
    if (fb_width > 0 && fb_height > 0) ilinks_viewer_set_size(host.viewer, fb_width, fb_height, scale_x);
    const bool changed = ilinks_viewer_needs_redraw(host.viewer);
    if (changed || host.repaint) {
      if (ilinks_viewer_render_gl(host.viewer) != ILINKS_OK) {
        std::fprintf(stderr, "ilinks-desktop: %s\n", ilinks_viewer_last_error(host.viewer));
        status = 1;
        break;
      }
      host.repaint = false;
      if (!screenshot.empty() && !ilinks_viewer_needs_redraw(host.viewer)) {
        status = save_framebuffer(screenshot.c_str(), fb_width, fb_height) ? status : 3;
        break;
      }
      glfwSwapBuffers(window);
    }
    if (ilinks_viewer_needs_redraw(host.viewer)) glfwPollEvents();
    else glfwWaitEvents();  // idle: sleep until the window system has something
  }
  ilinks_viewer_destroy(host.viewer);  // while its GL context is still current
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}
