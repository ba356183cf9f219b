// ilinks-desktop: a native desktop host. It owns a GLFW window with an OpenGL
// 3.2 core context and calls the component inside it once per frame, the way a
// desktop EPR embeds it ("host owns the GL context").
//
//   ilinks-desktop --record bundle.json [--today YYYY-MM-DD]
//                  [--size 1024x640] [--screenshot out.png]
//                  [--user ID --profile 1a|...|7 --organisation ODS [--consent given]]
//                  [--tab summary|community|diagnostics|hospital|timeline]
//   ilinks-desktop --service URL --patient NHS_NUMBER --token-command CMD [--consent given] [...]
//
// With --user, --profile and --organisation the user is the viewer (with a
// care relationship); --consent given records the person's verbal consent as
// the widget's dialog would. Mouse, wheel and keyboard go to the component.
//
// With --service the host holds no record (a desktop EPR outside the data
// holders' boundary): the viewer asks the sharing service for the View made
// for the user in the context token, which CMD (run by the shell for each
// request; tokens are used once) prints, signed by the host's own issuer.
// Consent, overrides and the widget's dialogs then act at the service.
//
// It draws only when the component says something changed or the window needs
// repainting, and otherwise sleeps in glfwWaitEvents(): an idle record costs no
// CPU. --screenshot writes the first settled frame to a PNG and exits (tests).
#include <cstdio>
#include <cstring>
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
  float scale = 1;      // framebuffer pixels per window coordinate
};

Host& host_of(GLFWwindow* w) { return *static_cast<Host*>(glfwGetWindowUserPointer(w)); }

int modifiers_of(int mods) {
  return (mods & GLFW_MOD_CONTROL ? ILINKS_MOD_CTRL : 0) | (mods & GLFW_MOD_SHIFT ? ILINKS_MOD_SHIFT : 0) |
         (mods & GLFW_MOD_ALT ? ILINKS_MOD_ALT : 0) | (mods & GLFW_MOD_SUPER ? ILINKS_MOD_SUPER : 0);
}

int key_of(int glfw_key) {
  switch (glfw_key) {
    case GLFW_KEY_TAB: return ILINKS_KEY_TAB;
    case GLFW_KEY_LEFT: return ILINKS_KEY_LEFT;
    case GLFW_KEY_RIGHT: return ILINKS_KEY_RIGHT;
    case GLFW_KEY_UP: return ILINKS_KEY_UP;
    case GLFW_KEY_DOWN: return ILINKS_KEY_DOWN;
    case GLFW_KEY_PAGE_UP: return ILINKS_KEY_PAGE_UP;
    case GLFW_KEY_PAGE_DOWN: return ILINKS_KEY_PAGE_DOWN;
    case GLFW_KEY_HOME: return ILINKS_KEY_HOME;
    case GLFW_KEY_END: return ILINKS_KEY_END;
    case GLFW_KEY_INSERT: return ILINKS_KEY_INSERT;
    case GLFW_KEY_DELETE: return ILINKS_KEY_DELETE;
    case GLFW_KEY_BACKSPACE: return ILINKS_KEY_BACKSPACE;
    case GLFW_KEY_SPACE: return ILINKS_KEY_SPACE;
    case GLFW_KEY_ENTER: case GLFW_KEY_KP_ENTER: return ILINKS_KEY_ENTER;
    case GLFW_KEY_ESCAPE: return ILINKS_KEY_ESCAPE;
    case GLFW_KEY_A: return ILINKS_KEY_A;
    case GLFW_KEY_C: return ILINKS_KEY_C;
    case GLFW_KEY_F: return ILINKS_KEY_F;
    case GLFW_KEY_V: return ILINKS_KEY_V;
    case GLFW_KEY_X: return ILINKS_KEY_X;
    case GLFW_KEY_Y: return ILINKS_KEY_Y;
    case GLFW_KEY_Z: return ILINKS_KEY_Z;
    default: return 0;
  }
}

// Window-system input to the component (positions in framebuffer pixels).
void forward_input(GLFWwindow* window) {
  glfwSetCursorPosCallback(window, [](GLFWwindow* w, double x, double y) {
    Host& h = host_of(w);
    ilinks_viewer_mouse_move(h.viewer, static_cast<float>(x) * h.scale, static_cast<float>(y) * h.scale);
  });
  glfwSetCursorEnterCallback(window, [](GLFWwindow* w, int entered) {
    if (!entered) ilinks_viewer_mouse_leave(host_of(w).viewer);
  });
  glfwSetMouseButtonCallback(window, [](GLFWwindow* w, int button, int action, int) {
    if (button <= 2) ilinks_viewer_mouse_button(host_of(w).viewer, button, action == GLFW_PRESS);
  });
  glfwSetScrollCallback(window, [](GLFWwindow* w, double dx, double dy) {
    ilinks_viewer_mouse_wheel(host_of(w).viewer, static_cast<float>(dx), static_cast<float>(dy));
  });
  glfwSetKeyCallback(window, [](GLFWwindow* w, int key, int, int action, int mods) {
    int k = key_of(key);
    if (k && action != GLFW_REPEAT) ilinks_viewer_key(host_of(w).viewer, k, action == GLFW_PRESS, modifiers_of(mods));
    if (k && action == GLFW_REPEAT) ilinks_viewer_key(host_of(w).viewer, k, 1, modifiers_of(mods));
  });
  glfwSetCharCallback(window, [](GLFWwindow* w, unsigned int codepoint) {
    char utf8[5] = {};
    if (codepoint < 0x80) utf8[0] = static_cast<char>(codepoint);
    else if (codepoint < 0x800) utf8[0] = static_cast<char>(0xC0 | (codepoint >> 6)), utf8[1] = static_cast<char>(0x80 | (codepoint & 0x3F));
    else if (codepoint < 0x10000)
      utf8[0] = static_cast<char>(0xE0 | (codepoint >> 12)), utf8[1] = static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F)),
      utf8[2] = static_cast<char>(0x80 | (codepoint & 0x3F));
    else
      utf8[0] = static_cast<char>(0xF0 | (codepoint >> 18)), utf8[1] = static_cast<char>(0x80 | ((codepoint >> 12) & 0x3F)),
      utf8[2] = static_cast<char>(0x80 | ((codepoint >> 6) & 0x3F)), utf8[3] = static_cast<char>(0x80 | (codepoint & 0x3F));
    ilinks_viewer_text_input(host_of(w).viewer, utf8);
  });
  glfwSetWindowFocusCallback(window, [](GLFWwindow* w, int focused) { ilinks_viewer_focus(host_of(w).viewer, focused); });
}

// The host's token provider: a fresh context token for each request, printed
// by its signer command (a real EPR signs in its own back end).
size_t token_from_command(void* command, int, char* buffer, size_t size) {
  FILE* p = popen(static_cast<const char*>(command), "r");
  if (!p) return 0;
  std::string token;
  char chunk[4096];
  for (size_t n; (n = std::fread(chunk, 1, sizeof chunk, p)) > 0;) token.append(chunk, n);
  if (pclose(p) != 0) return 0;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.empty()) return 0;
  if (token.size() + 1 > size) return token.size() + 1;
  std::memcpy(buffer, token.c_str(), token.size() + 1);
  return token.size();
}

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
  std::string record_path, today, screenshot, user, profile, organisation, consent, tab, service, patient, token_command;
  int width = 1024, height = 640;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string arg = argv[i], value = argv[i + 1];
    if (arg == "--record") record_path = value;
    else if (arg == "--today") today = value;
    else if (arg == "--screenshot") screenshot = value;
    else if (arg == "--user") user = value;
    else if (arg == "--profile") profile = value;
    else if (arg == "--organisation") organisation = value;
    else if (arg == "--consent") consent = value;
    else if (arg == "--tab") tab = value;
    else if (arg == "--service") service = value;
    else if (arg == "--patient") patient = value;
    else if (arg == "--token-command") token_command = value;
    else if (arg == "--size") {
      if (std::sscanf(value.c_str(), "%dx%d", &width, &height) != 2) { std::fprintf(stderr, "ilinks-desktop: --size takes WIDTHxHEIGHT\n"); return 2; }
    } else { std::fprintf(stderr, "ilinks-desktop: unknown option %s\n", arg.c_str()); return 2; }
  }
  const bool through_service = !service.empty();
  if (record_path.empty() == !through_service || (through_service && (patient.empty() || token_command.empty()))) {
    std::fprintf(stderr, "usage: ilinks-desktop --record FILE [--today YYYY-MM-DD] [--size WxH] [--screenshot out.png]\n"
                         "       ilinks-desktop --service URL --patient NHS_NUMBER --token-command CMD [...]\n");
    return 2;
  }
  std::string bytes;
  if (!through_service) {
    std::ifstream in(record_path, std::ios::binary);
    if (!in) { std::fprintf(stderr, "ilinks-desktop: %s: cannot be opened for reading\n", record_path.c_str()); return 1; }
    std::ostringstream text;
    text << in.rdbuf();
    bytes = text.str();
  }

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
  bool viewer_given = !user.empty() && !profile.empty() && !organisation.empty();
  if ((!today.empty() && ilinks_viewer_set_today(host.viewer, today.c_str()) != ILINKS_OK) ||
      (viewer_given && ilinks_viewer_set_context(host.viewer, user.c_str(), user.c_str(), profile.c_str(), organisation.c_str(),
                                                 organisation.c_str(), 1) != ILINKS_OK) ||
      (!tab.empty() && ilinks_viewer_set_tab(host.viewer, tab.c_str()) != ILINKS_OK) ||
      (through_service && (ilinks_viewer_set_patient(host.viewer, patient.c_str()) != ILINKS_OK ||
                           ilinks_viewer_set_service(host.viewer, service.c_str(), &token_from_command,
                                                     const_cast<char*>(token_command.c_str()), 10000) != ILINKS_OK ||
                           ilinks_viewer_load_from_service(host.viewer) != ILINKS_OK)) ||
      (!through_service && ilinks_viewer_load_fhir(host.viewer, bytes.data(), bytes.size(), record_path.c_str()) != ILINKS_OK) ||
      (consent == "given" && ilinks_viewer_record_consent(host.viewer, "verbal", "patient") != ILINKS_OK)) {
    std::fprintf(stderr, "ilinks-desktop: %s\n", ilinks_viewer_last_error(host.viewer));
    status = 1;  // the window still opens: it shows that no record is loaded
  }
  glfwSetWindowUserPointer(window, &host);
  glfwSetWindowRefreshCallback(window, [](GLFWwindow* w) { static_cast<Host*>(glfwGetWindowUserPointer(w))->repaint = true; });
  glfwSetFramebufferSizeCallback(window, [](GLFWwindow* w, int, int) { static_cast<Host*>(glfwGetWindowUserPointer(w))->repaint = true; });
  // A screenshot is of the record as loaded: the pointer wherever the X
  // server left it must not hover anything.
  if (screenshot.empty()) forward_input(window);

  while (!glfwWindowShouldClose(window)) {
    int fb_width = 0, fb_height = 0;
    float scale_x = 1, scale_y = 1;
    glfwGetFramebufferSize(window, &fb_width, &fb_height);
    glfwGetWindowContentScale(window, &scale_x, &scale_y);
    int window_width = 0, window_height = 0;
    glfwGetWindowSize(window, &window_width, &window_height);
    host.scale = window_width > 0 ? static_cast<float>(fb_width) / static_cast<float>(window_width) : 1.0f;
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
