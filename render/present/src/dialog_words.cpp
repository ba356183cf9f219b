#include "ilinks/dialog_words.h"

#include <cctype>

namespace ilinks {
namespace {

MirrorNode node(std::string role, std::string text) {
  MirrorNode n;
  n.role = std::move(role);
  n.text = std::move(text);
  return n;
}

}  // namespace

const char* DialogState::title() const {
  switch (open) {
    case Open::consent: return kConsentTitle;
    case Open::override_: return kOverrideTitle;
    case Open::case_access: return kCaseAccessTitle;
    case Open::reader:
    case Open::none: break;
  }
  return "Document";
}

const std::vector<ConsentOptions::Reason>& DialogState::reasons(const ConsentOptions& options) const {
  return open == Open::case_access ? options.case_access_reasons : options.override_reasons;
}

std::string method_title(const std::string& m) {
  std::string t = m;
  if (!t.empty()) t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
  return t;
}

int text_length(const char* utf8) {
  int n = 0;
  for (const char* p = utf8; *p; ++p) n += (static_cast<unsigned char>(*p) & 0xC0) != 0x80;
  return n;
}

MirrorNode mirror_dialog(const DialogState& dialog, const ConsentOptions& options, const ControlBounds* controls) {
  auto control = [controls](const char* role, const std::string& words, const std::string& label) {
    return control_node(role, words, "dialog:" + label, controls);
  };
  MirrorNode d = node("dialog", dialog.title());
  switch (dialog.open) {
    case DialogState::Open::none:
      return {};
    case DialogState::Open::consent: {
      d.children.push_back(node("note", kConsentAsk));
      MirrorNode how = node("radiogroup", kConsentHow);
      for (size_t i = 0; i < options.methods.size(); ++i) {
        std::string title = method_title(options.methods[i]);
        how.children.push_back(control("radio", title + (static_cast<int>(i) == dialog.method ? " (chosen)" : ""), title));
      }
      d.children.push_back(std::move(how));
      MirrorNode who = node("radiogroup", kConsentWho);
      for (int i = 0; i < 2; ++i)
        who.children.push_back(control("radio", std::string(kGivenBy[i]) + (dialog.given_by == i ? " (chosen)" : ""), kGivenBy[i]));
      d.children.push_back(std::move(who));
      d.children.push_back(control("button", kConsentTitle, kConsentTitle));
      d.children.push_back(control("button", "Cancel", "Cancel"));
      break;
    }
    case DialogState::Open::override_:
    case DialogState::Open::case_access: {
      bool wider = dialog.open == DialogState::Open::case_access;
      const auto& reasons = dialog.reasons(options);
      d.children.push_back(wider ? node("note", kCaseAccessExplanation) : node("alert", kOverrideWarning));
      std::string chosen = dialog.reason < static_cast<int>(reasons.size()) ? reasons[static_cast<size_t>(dialog.reason)].display : "none";
      d.children.push_back(control("combobox", std::string(kCaseAccessReason) + ": " + chosen, "Reason"));
      int need = wider ? options.case_access_text_min_characters : options.override_text_min_characters;
      d.children.push_back(control("textbox", std::string(wider ? kCaseAccessWhyShort : kOverrideWhyShort) + " " +
                                                  std::to_string(text_length(dialog.text)) + " of at least " + std::to_string(need) + " characters",
                                   "Why"));
      const char* confirm = wider ? kCaseAccessConfirm : kOverrideConfirm;
      d.children.push_back(control("button", confirm, confirm));
      d.children.push_back(control("button", "Cancel", "Cancel"));
      break;
    }
    case DialogState::Open::reader:
      if (!dialog.reading) return {};
      d.text = dialog.reading->display;
      d.children.push_back(node("note", (dialog.reading->date ? format_date(*dialog.reading->date) : std::string("Date not known")) +
                                            ", " + item_source_text(*dialog.reading)));
      d.children.push_back(node("document", dialog.reading->text));
      d.children.push_back(control("button", "Close", "Close"));
      d.children.push_back(control("button", "Copy text", "Copy text"));
      break;
  }
  return d;
}

}  // namespace ilinks
