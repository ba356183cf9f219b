// The exclusion categories of policy.json ("exclusions"): Appendix 1's Read v2
// codes, EMIS local codes, security labels, the published SNOMED CT, dm+d and
// LOINC lists, and the term safety net. Owned by the policy, which alone marks.
#include "ilinks/exclusions.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <unordered_map>

#include "data_file.h"
#include "ilinks/code_list.h"
#include "ilinks/key_index.h"
#include "ilinks/two_threads.h"

namespace ilinks {

using detail::json;

struct Exclusions::Data {
  struct ReadPattern {
    std::string prefix;  // padded to five characters unless hierarchical
    bool hierarchy = false;
    std::string printed, category;
  };
  struct Words {
    std::string category;
    std::vector<std::string> terms, not_when;  // normalised: " human immunodeficiency virus "
    std::vector<std::string> cased_terms;      // matched in their own case only: " AIDS " (not "hearing aids")
  };
  std::string version;
  std::vector<ReadPattern> read_patterns;
  std::set<std::string> read_systems, emis_systems, snomed_systems, loinc_systems;
  std::unordered_map<std::string, std::pair<std::string, std::string>> emis, snomed, loinc;  // code -> category, what matched
  std::map<std::string, std::string> labels;  // "system|code" -> category
  std::vector<Words> words;
  // Every term's words, found by its longest word: a term matches only where
  // each of its words is a whole word of the text (not_when only removes
  // words), so a text for which no term has all its words matches none, and
  // most items are answered by a few hash lookups instead of hundreds of
  // searches. Lower case, and the cased terms in their own case.
  struct TermWords {
    std::unordered_map<std::string, std::vector<std::vector<std::string>>> by_longest;
    void add(const std::string& normalised);
    bool may_match(std::string_view text, bool keep_case) const;
  };
  TermWords term_words, cased_term_words;
};

namespace {

bool is_read_pattern(const std::string& code) {
  if (code.empty() || code.size() > 6) return false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || (c == '%' && i + 1 == code.size());
    if (!ok) return false;
  }
  return code.back() == '%' ? code.size() <= 6 : code.size() <= 5;
}

// Words as the term safety net compares them: lower case, every run of
// anything but letters and digits one space, padded with spaces, so a term
// matches whole words only (" hiv " is not in " archive ").
std::string normalised_words(std::string_view text, bool keep_case = false) {
  std::string out = " ";
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += keep_case ? c : static_cast<char>(std::tolower(u));
    else if (out.back() != ' ') out += ' ';
  }
  if (out.back() != ' ') out += ' ';
  return out;
}

// The whole words of `text` as normalised_words splits them.
std::vector<std::string> words_in(std::string_view text, bool keep_case) {
  std::vector<std::string> out;
  std::string word;
  for (size_t i = 0; i <= text.size(); ++i) {
    unsigned char u = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (std::isalnum(u)) word += keep_case ? static_cast<char>(u) : static_cast<char>(std::tolower(u));
    else if (!word.empty()) out.push_back(std::move(word)), word.clear();
  }
  return out;
}

std::string pad_read(std::string_view code) {
  std::string out(code.substr(0, 5));
  while (out.size() < 5) out += '.';
  return out;
}

// The published lists (SNOMED CT, dm+d, LOINC), as the policy loader resolved
// them: each with its category, code system and codes.
void load_code_lists(const detail::DataFile& f, const std::set<std::string>& categories, Exclusions::Data& d) {
  const json& root = f.root();
  if (!root.contains("code_lists")) return;
  if (!root["code_lists"].is_object()) f.fail("code_lists", "must be an object of list id -> list");
  for (auto it = root["code_lists"].begin(); it != root["code_lists"].end(); ++it) {
    std::string where = "code_lists." + it.key() + ".";
    if (!it->is_object()) f.fail(where.substr(0, where.size() - 1), "must be an object");
    std::string category = f.text_at(*it, "category", where);
    if (!categories.count(category)) f.fail(where + "category", "\"" + category + "\" is not one of the categories");
    std::string system = f.text_at(*it, "system", where);
    if (system != "snomed_ct" && system != "dmd" && system != "loinc")
      f.fail(where + "system", "\"" + system + "\" must be snomed_ct, dmd or loinc");
    bool loinc = system == "loinc";
    auto& target = loinc ? d.loinc : d.snomed;
    const json& codes = f.list_at(*it, "codes", where);
    for (size_t k = 0; k < codes.size(); ++k) {
      std::string at = where + "codes[" + std::to_string(k) + "]";
      if (!codes[k].is_string()) f.fail(at, "must be a text");
      const std::string& code = codes[k].get_ref<const std::string&>();
      if (loinc ? !valid_loinc_code(code) : !valid_snomed_identifier(code)) f.fail(at, "\"" + code + "\" is not a valid " + system + " code");
      target.emplace(code, std::make_pair(category, std::string(loinc ? "LOINC " : "SNOMED CT ") + code + " (list " + it.key() + ")"));
    }
  }
}

// The term safety net: words that name a category unambiguously, and the
// phrases that look like them but are shared (alcohol abuse is not abuse by others).
void load_words(const detail::DataFile& f, const std::set<std::string>& categories, Exclusions::Data& d) {
  const json& root = f.root();
  if (!root.contains("terms")) return;
  if (!root["terms"].is_object()) f.fail("terms", "must be an object of category -> {words, not_when}");
  for (auto it = root["terms"].begin(); it != root["terms"].end(); ++it) {
    std::string where = "terms." + it.key() + ".";
    if (!categories.count(it.key())) f.fail("terms." + it.key(), "is not one of the categories");
    if (!it->is_object()) f.fail("terms." + it.key(), "must be an object");
    Exclusions::Data::Words w;
    w.category = it.key();
    auto phrases = [&](const char* key, std::vector<std::string>& out, bool keep_case = false) {
      if (!it->contains(key)) return;
      for (const auto& t : f.texts_at(*it, key, where)) {
        std::string n = normalised_words(t, keep_case);
        if (n.size() < 4) f.fail(where + key, "\"" + t + "\" has no letters or digits to match");
        out.push_back(std::move(n));
      }
    };
    phrases("words", w.terms);
    phrases("not_when", w.not_when);
    phrases("words_in_capitals", w.cased_terms, true);
    for (auto mem = it->begin(); mem != it->end(); ++mem)
      if (mem.key() != "words" && mem.key() != "not_when" && mem.key() != "words_in_capitals")
        f.fail(where + mem.key(), "is not a known member (words, words_in_capitals, not_when)");
    for (const auto& t : w.terms) d.term_words.add(t);
    for (const auto& t : w.cased_terms) d.cased_term_words.add(t);
    d.words.push_back(std::move(w));
  }
}

void load_exclusions(const detail::DataFile& f, Exclusions::Data& d) {
  const json& root = f.root();
  if (!root.contains("code_systems") || !root["code_systems"].is_object()) f.fail("code_systems", "must be an object");
  const json& systems = root["code_systems"];
  for (const auto& s : f.texts_at(systems, "read_v2", "code_systems.")) d.read_systems.insert(s);
  for (const auto& s : f.texts_at(systems, "emis_local", "code_systems.")) d.emis_systems.insert(s);
  for (const auto& s : f.texts_at(systems, "snomed_ct", "code_systems.")) d.snomed_systems.insert(s);
  // dm+d identifiers are SNOMED CT identifiers: one namespace, matched under either system.
  if (systems.contains("dmd")) for (const auto& s : f.texts_at(systems, "dmd", "code_systems.")) d.snomed_systems.insert(s);
  if (systems.contains("loinc")) for (const auto& s : f.texts_at(systems, "loinc", "code_systems.")) d.loinc_systems.insert(s);
  std::set<std::string> ids;
  const json& categories = f.list_at(root, "categories", "");
  for (size_t i = 0; i < categories.size(); ++i) {
    std::string where = "categories[" + std::to_string(i) + "].";
    const json& c = categories[i];
    std::string id = f.text_at(c, "id", where);
    if (!ids.insert(id).second) f.fail(where + "id", "\"" + id + "\" is used twice");
    f.text_at(c, "name", where);
    f.text_at(c, "reason", where);
    auto entries = [&](const char* key, auto&& add) {
      const json& list = f.list_at(c, key, where);
      for (size_t k = 0; k < list.size(); ++k) add(f.text_at(list[k], "code", where + key + "[" + std::to_string(k) + "]."),
                                                  where + key + "[" + std::to_string(k) + "]");
    };
    entries("read_v2", [&](const std::string& code, const std::string& at) {
      if (!is_read_pattern(code)) f.fail(at, "\"" + code + "\" is not a Read v2 code or pattern (up to five characters, optional trailing %)");
      Exclusions::Data::ReadPattern p;
      p.hierarchy = code.back() == '%';
      p.prefix = p.hierarchy ? code.substr(0, code.size() - 1) : pad_read(code);
      if (p.hierarchy) while (!p.prefix.empty() && p.prefix.back() == '.') p.prefix.pop_back();
      p.printed = code;
      p.category = id;
      d.read_patterns.push_back(std::move(p));
    });
    entries("emis_local", [&](const std::string& code, const std::string&) { d.emis[code] = {id, code}; });
    if (c.contains("snomed_ct"))  // a few concepts written in the policy itself; the lists are in code_lists
      entries("snomed_ct", [&](const std::string& code, const std::string& at) {
        if (!valid_snomed_identifier(code)) f.fail(at, "\"" + code + "\" is not a SNOMED CT identifier (digits with a valid check digit)");
        d.snomed[code] = {id, "SNOMED CT " + code};
      });
    const json& labels = f.list_at(c, "security_labels", where);
    for (size_t k = 0; k < labels.size(); ++k) {
      std::string at = where + "security_labels[" + std::to_string(k) + "].";
      d.labels[f.text_at(labels[k], "system", at) + "|" + f.text_at(labels[k], "code", at)] = id;
    }
  }
  load_code_lists(f, ids, d);
  load_words(f, ids, d);
}


}  // namespace

bool read_v2_matches(std::string_view pattern, std::string_view code) {
  if (pattern.empty() || code.empty()) return false;
  std::string padded = pad_read(code);
  if (pattern.back() == '%') {
    std::string prefix(pattern.substr(0, pattern.size() - 1));
    while (!prefix.empty() && prefix.back() == '.') prefix.pop_back();
    return padded.compare(0, prefix.size(), prefix) == 0;
  }
  return padded == pad_read(pattern);
}


void Exclusions::Data::TermWords::add(const std::string& normalised) {
  std::vector<std::string> term = words_in(normalised, true);  // already in the case it is matched in
  auto longest = std::max_element(term.begin(), term.end(), [](const auto& a, const auto& b) { return a.size() < b.size(); });
  if (longest != term.end()) by_longest[*longest].push_back(term);
}

bool Exclusions::Data::TermWords::may_match(std::string_view text, bool keep_case) const {
  if (by_longest.empty()) return false;
  std::vector<std::string> in_text = words_in(text, keep_case);
  auto holds = [&](const std::string& w) { return std::find(in_text.begin(), in_text.end(), w) != in_text.end(); };
  for (const auto& w : in_text) {
    auto it = by_longest.find(w);
    if (it == by_longest.end()) continue;
    for (const auto& term : it->second)
      if (std::all_of(term.begin(), term.end(), holds)) return true;
  }
  return false;
}

Exclusions Exclusions::from_json(std::string_view exclusions_json, const std::string& file_name) {
  auto d = std::make_shared<Data>();
  detail::DataFile e(exclusions_json, file_name, "ilinks-exclusions/1");
  load_exclusions(e, *d);
  d->version = e.version();
  return Exclusions(std::move(d));
}

const std::string& Exclusions::version() const { return data_->version; }

std::optional<ExclusionMark> Exclusions::exclusion_of(const Item& item) const {
  if (auto m = exclusion_by_code(item)) return m;
  // Last, the words, for a code on no list (no SNOMED CT release is shipped).
  if (data_->words.empty()) return std::nullopt;
  return exclusion_by_words(words_of(item));
}

std::optional<ExclusionMark> Exclusions::exclusion_by_code(const Item& item) const {
  const Data& d = *data_;
  for (const auto& label : item.security_labels) {
    auto it = d.labels.find(label.system + "|" + label.code);
    if (it != d.labels.end()) return ExclusionMark{it->second, "security label " + label.code, {}};
  }
  auto check = [&](const Coding& c) -> std::optional<ExclusionMark> {
    if (d.read_systems.count(c.system)) {
      // EMIS and others send Read v2 with a two-character term code ("A788.00"): the concept is the first five.
      std::string_view code(c.code);
      if (code.size() == 7) code = code.substr(0, 5);
      for (const auto& p : d.read_patterns) {
        bool hit = p.hierarchy ? read_v2_matches(p.prefix + "%", code) : pad_read(code) == p.prefix;
        if (hit) return ExclusionMark{p.category, "Read v2 " + p.printed, {}};
      }
    }
    if (d.emis_systems.count("*") || d.emis_systems.count(c.system)) {
      auto it = d.emis.find(c.code);
      if (it != d.emis.end()) return ExclusionMark{it->second.first, "EMIS local code " + it->second.second, {}};
    }
    if (d.snomed_systems.count(c.system)) {
      auto it = d.snomed.find(c.code);
      if (it != d.snomed.end()) return ExclusionMark{it->second.first, it->second.second, {}};
    }
    if (d.loinc_systems.count(c.system)) {
      auto it = d.loinc.find(c.code);
      if (it != d.loinc.end()) return ExclusionMark{it->second.first, it->second.second, {}};
    }
    return std::nullopt;
  };
  // Every code the item carries: its own (with translations), categories,
  // a coded value, a coded reason, and each component's.
  for (const auto* codings : {&item.codings, &item.categories, &item.value.codings, &item.reasons})
    for (const auto& c : *codings) if (auto m = check(c)) return m;
  for (const auto& comp : item.components) {
    for (const auto& c : comp.codings) if (auto m = check(c)) return m;
    for (const auto& c : comp.value.codings) if (auto m = check(c)) return m;
  }
  return std::nullopt;
}

std::vector<std::string> Exclusions::label_categories(const Item& item) const {
  std::vector<std::string> out;
  for (const auto& label : item.security_labels) {
    auto it = data_->labels.find(label.system + "|" + label.code);
    if (it != data_->labels.end()) out.push_back(it->second);
  }
  return out;
}

std::string Exclusions::words_of(const Item& item) {
  std::string text = item.display;
  auto add = [&](const std::vector<Coding>& codings) {
    for (const auto& c : codings) text += " | " + c.display;
  };
  for (const auto* codings : {&item.codings, &item.value.codings, &item.reasons}) add(*codings);
  for (const auto& comp : item.components) text += " | " + comp.name, add(comp.codings), add(comp.value.codings);
  return text;
}

std::optional<ExclusionMark> Exclusions::exclusion_by_words(std::string_view text) const {
  if (!data_->term_words.may_match(text, false) && !data_->cased_term_words.may_match(text, true)) return std::nullopt;
  std::string words = normalised_words(text), cased = normalised_words(text, true);
  for (const auto& w : data_->words) {
    std::string rest = words;
    for (const auto& phrase : w.not_when)
      for (size_t at; (at = rest.find(phrase)) != std::string::npos;) rest.replace(at, phrase.size(), " ");
    for (const auto& term : w.terms)
      if (rest.find(term) != std::string::npos)
        return ExclusionMark{w.category, "words \"" + term.substr(1, term.size() - 2) + "\"", {}};
    for (const auto& term : w.cased_terms)
      if (cased.find(term) != std::string::npos)
        return ExclusionMark{w.category, "words \"" + term.substr(1, term.size() - 2) + "\"", {}};
  }
  return std::nullopt;
}

Exclusions::Links Exclusions::links_of(const std::vector<Item>& items) {
  detail::KeyIndex index;
  index.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) index.emplace(items[i].key, i);
  Links out;
  out.first.reserve(items.size() + 1);
  for (const auto& item : items) {
    out.first.push_back(out.to.size());
    for (const auto& l : item.links)
      if (size_t t = index.find(l.target); t != detail::KeyIndex::npos) out.to.push_back({t, &l});
  }
  out.first.push_back(out.to.size());
  return out;
}

Exclusions::Marks Exclusions::marks_of(const std::vector<Item>& items, const Links& links, bool two_threads) const {
  Marks marks(items.size());
  // exclusion_of, item by item, with the words read once per distinct text: a
  // long record says "Body Height" thousands of times (issue 18). With two
  // threads, each half has its own memo and writes only its own marks.
  detail::in_two_halves(items.size(), two_threads, [&](int, size_t begin, size_t end) {
    std::unordered_map<std::string, std::optional<ExclusionMark>> by_words;
    for (size_t i = begin; i < end; ++i) {
      if (items[i].exclusion) { marks[i] = items[i].exclusion.as_optional(); continue; }
      marks[i] = exclusion_by_code(items[i]);
      if (marks[i] || data_->words.empty()) continue;
      auto [known, fresh] = by_words.try_emplace(words_of(items[i]));
      if (fresh) known->second = exclusion_by_words(known->first);
      marks[i] = known->second;
    }
  });
  propagate(items, links, marks);
  return marks;
}

void Exclusions::mark(std::vector<Item>& items) const {
  Marks marks = marks_of(items, links_of(items));
  for (size_t i = 0; i < items.size(); ++i) items[i].exclusion = std::move(marks[i]);
}

void Exclusions::propagate(std::vector<Item>& items) {
  Marks marks(items.size());
  for (size_t i = 0; i < items.size(); ++i) marks[i] = items[i].exclusion.as_optional();
  propagate(items, links_of(items), marks);
  for (size_t i = 0; i < items.size(); ++i) items[i].exclusion = std::move(marks[i]);
}

void Exclusions::propagate(const std::vector<Item>& items, const Links& links, Marks& marks) {
  // Marks only ever get added, so this ends; each pass is linear.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < items.size(); ++i) {
      if (marks[i]) continue;
      std::optional<ExclusionMark> through;
      size_t indications = 0, excluded_indications = 0;
      for (size_t k = links.first[i]; k < links.first[i + 1]; ++k) {
        size_t t = links.to[k].target;
        const Link& l = *links.to[k].link;
        if (l.relation == "indication") {
          ++indications;
          if (marks[t]) ++excluded_indications, through = ExclusionMark{marks[t]->category, "its only indication", items[t].key};
          continue;
        }
        if (marks[t] && !through) through = ExclusionMark{marks[t]->category, "depends on an excluded item (" + l.relation + ")", items[t].key};
      }
      if (indications && excluded_indications < indications && through && through->matched == "its only indication") through.reset();
      if (through) { marks[i] = std::move(through); changed = true; }
    }
    // A report or panel with an excluded result is itself excluded: its
    // other results would show the gap.
    for (size_t i = 0; i < items.size(); ++i) {
      if (!marks[i]) continue;
      for (size_t k = links.first[i]; k < links.first[i + 1]; ++k) {
        const Link& l = *links.to[k].link;
        if (l.relation != "result of" && l.relation != "member of") continue;
        size_t report = links.to[k].target;
        if (marks[report]) continue;
        marks[report] = ExclusionMark{marks[i]->category, "holds an excluded result", items[i].key};
        changed = true;
      }
    }
  }
}

}  // namespace ilinks
