// The parts of the text mirror, shared by the widget (the screen as it is) and
// mirror_of_view (every tab in turn).
#pragma once
#include "banner.h"
#include "controls.h"
#include "ilinks/mirror.h"
#include "ilinks/record_layout.h"

namespace ilinks {

MirrorNode mirror_banner(const BannerText& banner);
// The strips under the banner: incomplete notice, basis, alert strip.
void mirror_strips(const View& view, const AlertStrip& alerts, const Timestamp& now, MirrorNode& into);
MirrorNode mirror_tab_list(Tab open, const ControlBounds* controls);
// One tab's panel: "Showing n of m", sections as headings and tables.
MirrorNode mirror_tab_panel(const TabLayout& layout, const ListFilter& filter, const ControlBounds* controls);
// The key under which a readable row's control is noted.
inline std::string row_key(size_t section, size_t row) { return "row:" + std::to_string(section) + ":" + std::to_string(row); }

}  // namespace ilinks
