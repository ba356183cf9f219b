// Input between frames, applied at the start of the next one.
#include <cfloat>

#include "widget_impl.h"

namespace ilinks {

void RecordWidget::Impl::apply_input() {
  ImGuiIO& io = ImGui::GetIO();
  bool button_changed[5] = {}, key_changed[32] = {};
  while (!input.empty()) {
    InputEvent& e = input.front();
    if (e.type == InputEvent::Type::button) {
      if (e.code < 0 || e.code >= 5) { input.pop_front(); continue; }
      if (button_changed[e.code]) break;  // the rest waits for the next frame
      button_changed[e.code] = true;
      io.MouseDown[e.code] = e.down;
    } else if (e.type == InputEvent::Type::key) {
      if (e.code <= 0 || e.code >= 32) { input.pop_front(); continue; }
      if (key_changed[e.code]) break;
      key_changed[e.code] = true;
      io.KeysDown[e.code] = e.down;
      io.KeyCtrl = e.modifiers & modifier_ctrl;
      io.KeyShift = e.modifiers & modifier_shift;
      io.KeyAlt = e.modifiers & modifier_alt;
      io.KeySuper = e.modifiers & modifier_super;
      if (e.down && (e.modifiers & modifier_ctrl)) {
        // Ctrl+PageUp / PageDown switch tab (as browsers do); Ctrl+F goes to the search box.
        int i = static_cast<int>(tab);
        if (e.code == static_cast<int>(Key::page_down)) tab = kTabs[(i + 1) % 5], relayout();
        if (e.code == static_cast<int>(Key::page_up)) tab = kTabs[(i + 4) % 5], relayout();
        if (e.code == static_cast<int>(Key::f)) focus_search = true;
      }
    } else if (e.type == InputEvent::Type::move) {
      io.MousePos = ImVec2(e.x, e.y);
    } else if (e.type == InputEvent::Type::leave) {
      io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    } else if (e.type == InputEvent::Type::wheel) {
      io.MouseWheel += e.y;
      io.MouseWheelH += e.x;
    } else if (e.type == InputEvent::Type::text) {
      // Typed text comes without Ctrl or Cmd (hosts send shortcuts as keys).
      // Hosts do not report a modifier's own release, so a Ctrl+F leaves Ctrl
      // looking held, and ImGui would then ignore the typing.
      io.KeyCtrl = io.KeySuper = false;
      io.AddInputCharactersUTF8(e.text.c_str());
    } else if (e.type == InputEvent::Type::focus) {
      io.AddFocusEvent(e.down);
    }
    input.pop_front();
  }
}

}  // namespace ilinks
