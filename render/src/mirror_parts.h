// The parts of the text mirror, shared by the widget (the screen as it is) and
// mirror_of_view (every tab in turn).
#pragma once
#include "banner.h"
#include "ilinks/mirror.h"
#include "ilinks/record_layout.h"

namespace ilinks {

MirrorNode mirror_banner(const BannerText& banner);
// The strips under the banner: incomplete notice, basis, alert strip.
void mirror_strips(const View& view, const AlertStrip& alerts, const Timestamp& now, MirrorNode& into);
MirrorNode mirror_tab_list(Tab open);
// One tab's panel: "Showing n of m", sections as headings and tables.
MirrorNode mirror_tab_panel(const TabLayout& layout, const ListFilter& filter);

}  // namespace ilinks
