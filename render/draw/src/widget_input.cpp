// Input between frames, applied at the start of the next one.
#include <cfloat>

#include "widget_impl.h"

namespace ilinks {

ImGuiKey imgui_key(Key key) {
  switch (key) {
    case Key::tab: return ImGuiKey_Tab;
    case Key::left: return ImGuiKey_LeftArrow;
    case Key::right: return ImGuiKey_RightArrow;
    case Key::up: return ImGuiKey_UpArrow;
    case Key::down: return ImGuiKey_DownArrow;
    case Key::page_up: return ImGuiKey_PageUp;
    case Key::page_down: return ImGuiKey_PageDown;
    case Key::home: return ImGuiKey_Home;
    case Key::end: return ImGuiKey_End;
    case Key::insert: return ImGuiKey_Insert;
    case Key::del: return ImGuiKey_Delete;
    case Key::backspace: return ImGuiKey_Backspace;
    case Key::space: return ImGuiKey_Space;
    case Key::enter: return ImGuiKey_Enter;
    case Key::escape: return ImGuiKey_Escape;
    case Key::a: return ImGuiKey_A;
    case Key::c: return ImGuiKey_C;
    case Key::f: return ImGuiKey_F;
    case Key::v: return ImGuiKey_V;
    case Key::x: return ImGuiKey_X;
    case Key::y: return ImGuiKey_Y;
    case Key::z: return ImGuiKey_Z;
  }
  return ImGuiKey_None;
}

void RecordWidget::Impl::apply_input() {
  ImGuiIO& io = ImGui::GetIO();
  bool button_changed[5] = {}, key_changed[32] = {};
  while (!input.empty()) {
    InputEvent& e = input.front();
    if (e.type == InputEvent::Type::button) {
      if (e.code < 0 || e.code >= 5) { input.pop_front(); continue; }
      if (button_changed[e.code]) break;  // the rest waits for the next frame
      button_changed[e.code] = true;
      io.AddMouseButtonEvent(e.code, e.down);
    } else if (e.type == InputEvent::Type::key) {
      if (e.code <= 0 || e.code >= 32 || imgui_key(static_cast<Key>(e.code)) == ImGuiKey_None) { input.pop_front(); continue; }
      if (key_changed[e.code]) break;
      key_changed[e.code] = true;
      // The modifiers first: ImGui reads a shortcut from the modifiers held as the key goes down.
      io.AddKeyEvent(ImGuiMod_Ctrl, e.modifiers & modifier_ctrl);
      io.AddKeyEvent(ImGuiMod_Shift, e.modifiers & modifier_shift);
      io.AddKeyEvent(ImGuiMod_Alt, e.modifiers & modifier_alt);
      io.AddKeyEvent(ImGuiMod_Super, e.modifiers & modifier_super);
      io.AddKeyEvent(imgui_key(static_cast<Key>(e.code)), e.down);
      if (e.down && (e.modifiers & modifier_ctrl)) {
        // Ctrl+PageUp / PageDown switch tab (as browsers do); Ctrl+F goes to the search box.
        int i = static_cast<int>(tab);
        if (e.code == static_cast<int>(Key::page_down)) tab = kTabs[(i + 1) % 5], relayout();
        if (e.code == static_cast<int>(Key::page_up)) tab = kTabs[(i + 4) % 5], relayout();
        if (e.code == static_cast<int>(Key::f)) focus_search = true;
      }
    } else if (e.type == InputEvent::Type::move) {
      io.AddMousePosEvent(e.x, e.y);
    } else if (e.type == InputEvent::Type::leave) {
      io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
    } else if (e.type == InputEvent::Type::wheel) {
      // As with typing below: a Ctrl+PageDown leaves Ctrl looking held (its
      // release is not reported), and ImGui would not scroll a list under a
      // held Ctrl. The widget has no Ctrl+wheel of its own.
      io.AddKeyEvent(ImGuiMod_Ctrl, false);
      io.AddKeyEvent(ImGuiMod_Super, false);
      io.AddMouseWheelEvent(e.x, e.y);
    } else if (e.type == InputEvent::Type::text) {
      // Typed text comes without Ctrl or Cmd (hosts send shortcuts as keys).
      // Hosts do not report a modifier's own release, so a Ctrl+F leaves Ctrl
      // looking held, and ImGui would then ignore the typing.
      io.AddKeyEvent(ImGuiMod_Ctrl, false);
      io.AddKeyEvent(ImGuiMod_Super, false);
      io.AddInputCharactersUTF8(e.text.c_str());
    } else if (e.type == InputEvent::Type::focus) {
      io.AddFocusEvent(e.down);
    }
    input.pop_front();
  }
}

}  // namespace ilinks
