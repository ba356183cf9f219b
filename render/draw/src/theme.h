// The look of the record, written down in one place: colours, spacing, type
// scale. The component owns its look so that the record is drawn the same in
// every host. Colours follow the NHS identity palette (calm, high contrast).
#pragma once
#include <imgui.h>

namespace ilinks::theme {

// Colours (sRGB, as ImGui packs them: IM_COL32(r, g, b, a)).
constexpr ImU32 page            = IM_COL32(0xF0, 0xF4, 0xF5, 0xFF);  // NHS pale grey
constexpr ImU32 surface         = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
constexpr ImU32 text            = IM_COL32(0x21, 0x2B, 0x32, 0xFF);  // NHS black
constexpr ImU32 text_secondary  = IM_COL32(0x4C, 0x62, 0x72, 0xFF);  // NHS dark grey
constexpr ImU32 border          = IM_COL32(0xD8, 0xDD, 0xE0, 0xFF);
constexpr ImU32 accent          = IM_COL32(0x00, 0x5E, 0xB8, 0xFF);  // NHS blue
constexpr ImU32 accent_dark     = IM_COL32(0x00, 0x30, 0x87, 0xFF);  // NHS dark blue
constexpr ImU32 notice_fill     = IM_COL32(0xFF, 0xF4, 0xC2, 0xFF);  // pale warm yellow
constexpr ImU32 notice_edge     = IM_COL32(0xFF, 0xB8, 0x1C, 0xFF);  // NHS warm yellow
// The alert strip: known allergies stand out; other states are quiet.
constexpr ImU32 alert_fill      = IM_COL32(0xD5, 0x28, 0x1B, 0xFF);  // NHS red
constexpr ImU32 alert_text      = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
constexpr ImU32 quiet_fill      = IM_COL32(0xE8, 0xED, 0xEE, 0xFF);  // NHS light grey
constexpr ImU32 preference_fill = IM_COL32(0xE1, 0xD8, 0xF0, 0xFF);  // pale purple
// Results outside their reference range.
constexpr ImU32 abnormal_text   = IM_COL32(0xA0, 0x1E, 0x14, 0xFF);
// Lists: alternate rows, the hovered row, headings of groups, trend plots.
constexpr ImU32 row_alt         = IM_COL32(0xF8, 0xFA, 0xFA, 0xFF);
constexpr ImU32 row_hover       = IM_COL32(0xE6, 0xF0, 0xFA, 0xFF);
constexpr ImU32 group_fill      = IM_COL32(0xE8, 0xED, 0xEE, 0xFF);
constexpr ImU32 plot_line       = IM_COL32(0x00, 0x5E, 0xB8, 0xFF);
constexpr ImU32 plot_range      = IM_COL32(0xE3, 0xF2, 0xE6, 0xFF);  // the normal range, pale green
constexpr ImU32 focus_ring      = IM_COL32(0xFF, 0xEB, 0x3B, 0xFF);  // NHS focus yellow

// An emergency override: the NHS emergency red, for as long as it lasts.
constexpr ImU32 override_fill   = IM_COL32(0xD5, 0x28, 0x1B, 0xFF);
constexpr ImU32 override_text   = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);
// A deceased patient's banner: dark, with a diagonal hatch, white text, so it
// cannot be mistaken for a living patient's even in greyscale print.
constexpr ImU32 deceased_fill   = IM_COL32(0x42, 0x55, 0x63, 0xFF);
constexpr ImU32 deceased_hatch  = IM_COL32(0x33, 0x44, 0x50, 0xFF);
constexpr ImU32 deceased_text   = IM_COL32(0xFF, 0xFF, 0xFF, 0xFF);

// Type scale, in CSS pixels at scale 1 (multiplied by the DPI scale).
constexpr float body_size  = 15.0f;
constexpr float small_size = 13.0f;
constexpr float heading_size = 18.0f;
constexpr float name_size  = 22.0f;

// Spacing, in CSS pixels at scale 1.
constexpr float gap         = 8.0f;   // between related items
constexpr float field_gap   = 28.0f;  // between banner fields
constexpr float padding     = 16.0f;  // inside panels
constexpr float accent_bar  = 4.0f;   // the banner's left edge
constexpr float hatch_step  = 10.0f;
constexpr float row_height  = 26.0f;  // one entry of a list
constexpr float trend_height = 120.0f;  // a trend plot
constexpr float toolbar_field = 150.0f;  // the date fields' width

}  // namespace ilinks::theme
