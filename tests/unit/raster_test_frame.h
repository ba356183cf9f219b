// Hand-built draw data for the CPU rasterizer's tests: one draw list, exact
// vertices, and a canvas to draw on.
#pragma once
#include <imgui.h>

#include <vector>

#include "ilinks/backends.h"

namespace ilinks::test {

// A hand-built frame: one draw list, one command, exact vertices.
struct Frame {
  ImDrawList list{nullptr};
  ImDrawData data;

  Frame(int w, int h) {
    data.Valid = true;
    data.CmdLists.push_back(&list);
    data.CmdListsCount = 1;
    data.DisplayPos = ImVec2(0, 0);
    data.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    data.FramebufferScale = ImVec2(1, 1);
  }
  void vertex(float x, float y, ImU32 colour, float u = 0.5f, float v = 0.5f) {
    list.VtxBuffer.push_back(ImDrawVert{ImVec2(x, y), ImVec2(u, v), colour});
  }
  void triangle(int a, int b, int c) {
    list.IdxBuffer.push_back(static_cast<ImDrawIdx>(a));
    list.IdxBuffer.push_back(static_cast<ImDrawIdx>(b));
    list.IdxBuffer.push_back(static_cast<ImDrawIdx>(c));
  }
  void quad(float x0, float y0, float x1, float y1, ImU32 colour) {
    int base = list.VtxBuffer.Size;
    vertex(x0, y0, colour);
    vertex(x1, y0, colour);
    vertex(x1, y1, colour);
    vertex(x0, y1, colour);
    triangle(base, base + 1, base + 2);
    triangle(base, base + 2, base + 3);
  }
  void command(ImVec4 clip) {
    ImDrawCmd cmd;
    cmd.ClipRect = clip;
    cmd.ElemCount = static_cast<unsigned>(list.IdxBuffer.Size);
    list.CmdBuffer.push_back(cmd);
  }
};

struct Canvas {
  int width, height;
  std::vector<unsigned char> pixels;
  Canvas(int w, int h, unsigned char fill = 255) : width(w), height(h), pixels(static_cast<size_t>(w * h * 4), fill) {}
  RgbaImage image() { return {pixels.data(), width, height, width * 4}; }
  const unsigned char* at(int x, int y) const { return &pixels[static_cast<size_t>((y * width + x) * 4)]; }
};

}  // namespace ilinks::test
