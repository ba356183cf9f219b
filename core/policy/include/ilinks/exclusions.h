// ilinks/exclusions.h: the categories no profile below the tier that allows
// them may see (section 5.2, Appendix 1), as the policy names them.
//
// One component, owned by the policy (Policy::exclusions) and applied by it
// alone, once per view: a record as read carries no marks. The data is
// policy.json's "exclusions" member with every code list's codes written in.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ilinks/item.h"

namespace ilinks {

class Exclusions {
 public:
  // Throws PolicyFileError naming `file_name`, the place and the reason.
  static Exclusions from_json(std::string_view exclusions_json, const std::string& file_name);

  const std::string& version() const;

  // ---- One item --------------------------------------------------------------
  // The category `item` falls in, nothing when none: first its security labels;
  // then every code it carries (its own and their translations, categories, a
  // coded value, coded reasons, components); last its words (display and code
  // displays, never notes or documents) against the term safety net.
  std::optional<ExclusionMark> exclusion_of(const Item& item) const;
  // Every category `item`'s own security labels fall in (an item may carry
  // several; exclusion_of names only the first match).
  std::vector<std::string> label_categories(const Item& item) const;
  // The term safety net alone: the category whose words `text` holds.
  std::optional<ExclusionMark> exclusion_by_words(std::string_view text) const;
  // The words of an item the safety net reads: its display, and the displays
  // of its codes, coded value, coded reasons and components.
  static std::string words_of(const Item& item);

  // ---- A whole record's items ----------------------------------------------------
  // Marks every item that falls in a category, and everything that only makes
  // sense through one (its results, the medication whose only indication it is,
  // a letter about it, a report holding it). Marks already there are kept.
  void mark(std::vector<Item>& items) const;
  // The second half of mark: carries the marks already there to what only
  // makes sense through the marked items (also used for opt-outs).
  static void propagate(std::vector<Item>& items);

  // The same, with the marks beside the items (one per item, in order), so a
  // record's items are read, never copied: what the policy uses on every view.
  using Marks = std::vector<std::optional<ExclusionMark>>;
  // Every item's links as the positions of their targets, found once and
  // used by every propagation over the same items.
  struct Links {
    struct To { size_t target; const Link* link; };
    std::vector<size_t> first;  // item i's links are to[first[i] .. first[i + 1])
    std::vector<To> to;
  };
  static Links links_of(const std::vector<Item>& items);
  // An item's own mark, if it has one, is kept. `two_threads`: natively, a
  // long list is marked in two halves at once (the marks are the same).
  Marks marks_of(const std::vector<Item>& items, const Links& links, bool two_threads = false) const;
  static void propagate(const std::vector<Item>& items, const Links& links, Marks& marks);

  struct Data;

 private:
  explicit Exclusions(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  std::optional<ExclusionMark> exclusion_by_code(const Item& item) const;  // exclusion_of but the words
  std::shared_ptr<const Data> data_;
};

// Read v2 matching as Appendix 1 prints it: codes are padded to five
// characters with "."; a trailing "%" covers every code below it.
bool read_v2_matches(std::string_view pattern, std::string_view code);

}  // namespace ilinks
