#include "manual.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace fundstelle::cli {

namespace {

// What the texts need to know of an option, read from CLI11's definition.
struct OptionText {
  std::vector<std::string> names;  // "-n", "--db"
  std::string description;
  bool takes_value = false;
  std::string value;                 // what the value is: FOLDER, N, DATE, ... (for the manual page)
  std::vector<std::string> choices;  // the values it takes, when they are a few (IsMember)
  bool names_path = false;           // its value is a file or folder
};

struct ArgumentText {
  std::string name, description;
  std::vector<std::string> choices;  // when checked by CLI::IsMember
  bool names_path = false, many = false, required = false;
};

struct CommandText {
  std::string name, description;
  std::vector<OptionText> options;
  std::vector<ArgumentText> arguments;
};

bool mentions_path(const std::string& description) {
  std::string lower = description;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("folder") != std::string::npos || lower.find("file") != std::string::npos;
}

// The type names CLI11 gives options by itself.
constexpr std::string_view kCliTypes[] = {"TEXT", "INT",  "UINT", "FLOAT", "BOOLEAN",
                                          "ENUM", "CHAR", "FILE", "DIR",   "PATH"};

// The choices of an option checked by CLI::IsMember, which CLI11 appends to its type name: TEXT:{a,b,c}.
std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> out;
  const auto open = type_name.find('{');
  const auto close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return out;
  std::stringstream list(type_name.substr(open + 1, close - open - 1));
  for (std::string item; std::getline(list, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string value_name(const CLI::Option& o, bool path) {
  const std::string type = o.get_type_name();
  // A name the option was given (->type_name("FROM TO")) rather than one of CLI11's own.
  const bool own = !type.empty() && type.find_first_of(":{") == std::string::npos &&
                   std::none_of(std::begin(kCliTypes), std::end(kCliTypes),
                                [&](std::string_view t) { return type.starts_with(t); });
  if (own) return type;
  if (path) return "PATH";
  if (type.starts_with("UINT") || type.starts_with("INT")) return "N";
  if (type.starts_with("FLOAT")) return "X";
  return "VALUE";
}

std::vector<CommandText> commands_of(const CLI::App& app) {
  std::vector<CommandText> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    CommandText c;
    c.name = sub->get_name();
    c.description = sub->get_description();
    for (const CLI::Option* o : sub->get_options()) {
      if (o->get_lnames().empty() && o->get_snames().empty()) {
        ArgumentText a;
        a.name = o->get_name(true);
        a.description = o->get_description();
        a.choices = choices_of(o->get_type_name());
        a.names_path = a.choices.empty() && mentions_path(a.description);
        a.many = o->get_items_expected_max() > 1;
        a.required = o->get_required();
        c.arguments.push_back(a);
        continue;
      }
      OptionText t;
      for (const auto& s : o->get_snames()) t.names.push_back("-" + s);
      for (const auto& l : o->get_lnames()) t.names.push_back("--" + l);
      t.description = o->get_description();
      t.takes_value = o->get_expected_max() > 0;  // (flags expect none)
      if (t.takes_value) {
        t.choices = choices_of(o->get_type_name());
        t.names_path = t.choices.empty() && mentions_path(t.description);
        t.value = value_name(*o, t.names_path);
      }
      c.options.push_back(t);
    }
    out.push_back(c);
  }
  return out;
}

std::string joined(const std::vector<std::string>& words, const char* between = " ") {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : between) + w;
  return out;
}

// `text` inside single quotes of a shell word.
std::string single_quoted(const std::string& text) {
  std::string out;
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out;
}

// `text` as roff body text: backslashes escaped, a line that would begin with a control character guarded.
std::string roff(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') out += "\\e";
    else if (c == '-') out += "\\-";
    else out += c;
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) out.insert(0, "\\&");
  return out;
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  const auto commands = commands_of(app);
  std::ostringstream s;
  s << "# bash completion for fundstelle(1), made by `fundstelle completion bash` from the program's own options.\n"
       "_fundstelle() {\n"
       "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command= i\n"
       "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
       "    case ${COMP_WORDS[i]} in\n"
       "      -*) ;;\n"
       "      *) command=${COMP_WORDS[i]}; break ;;\n"
       "    esac\n"
       "  done\n"
       "  local options= values= files=\n"
       "  case $command in\n";
  std::vector<std::string> names;
  for (const auto& c : commands) names.push_back(c.name);
  s << "    '') COMPREPLY=($(compgen -W '" << joined(names) << " --help --version' -- \"$cur\")); return ;;\n";
  for (const auto& c : commands) {
    std::vector<std::string> all;
    for (const auto& o : c.options)
      for (const auto& n : o.names) all.push_back(n);
    // What a word that is not an option may be: the positional argument's choices, or files where it names
    // a path (a query, say, is typed: nothing is offered).
    std::vector<std::string> values;
    bool files = false;
    for (const auto& a : c.arguments) {
      values.insert(values.end(), a.choices.begin(), a.choices.end());
      files = files || a.names_path;
    }
    s << "    " << c.name << ")\n      options='" << joined(all) << "' values='" << joined(values)
      << "' files=" << (files ? "1" : "") << "\n      case $prev in\n";
    for (const auto& o : c.options) {
      if (!o.takes_value) continue;
      s << "        " << joined(o.names, "|") << ") ";
      if (!o.choices.empty()) s << "COMPREPLY=($(compgen -W '" << joined(o.choices) << "' -- \"$cur\")); return ;;\n";
      else if (o.names_path) s << "compopt -o filenames; COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
      else s << "return ;;\n";  // a value to type: nothing to offer
    }
    s << "      esac ;;\n";
  }
  s << "    *) return ;;\n"
       "  esac\n"
       "  if [[ $cur == -* ]]; then\n"
       "    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
       "  elif [[ -n $values ]]; then\n"
       "    COMPREPLY=($(compgen -W \"$values\" -- \"$cur\"))\n"
       "  elif [[ -n $files ]]; then\n"
       "    compopt -o filenames\n"
       "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
       "  fi\n"
       "}\n"
       "complete -F _fundstelle fundstelle\n";
  return s.str();
}

std::string zsh_completion(const CLI::App& app) {
  const auto commands = commands_of(app);
  // A description inside _arguments' brackets: ']' and ':' are its syntax.
  const auto described = [](const std::string& text) {
    std::string out;
    for (const char c : single_quoted(text)) {
      if (c == '[' || c == ']' || c == ':') out += '\\';
      out += c;
    }
    return out;
  };
  std::ostringstream s;
  s << "#compdef fundstelle\n"
       "# zsh completion for fundstelle(1), made by `fundstelle completion zsh` from the program's own options.\n"
       "_fundstelle() {\n"
       "  local -a commands\n"
       "  commands=(\n";
  for (const auto& c : commands) s << "    '" << c.name << ":" << described(c.description) << "'\n";
  s << "  )\n"
       "  if (( CURRENT == 2 )); then\n"
       "    _describe -t commands 'fundstelle command' commands\n"
       "    return\n"
       "  fi\n"
       "  local command=${words[2]}\n"
       "  shift words\n"
       "  (( CURRENT-- ))\n"
       "  case $command in\n";
  for (const auto& c : commands) {
    s << "    " << c.name << ")\n      _arguments -s";
    for (const auto& o : c.options) {
      const std::string names = o.names.size() == 1 ? o.names.front() : "{" + joined(o.names, ",") + "}";
      s << " \\\n        '*'" << names << "'[" << described(o.description) << "]";
      if (o.takes_value) {
        s << ":" << o.value << ":";
        if (!o.choices.empty()) s << "(" << joined(o.choices) << ")";
        else if (o.names_path) s << "_files";
        else s << " ";
      }
      s << "'";
    }
    for (const auto& a : c.arguments)
      s << " \\\n        '" << (a.many ? "*" : "1") << ":" << a.name << ":"
        << (!a.choices.empty() ? "(" + joined(a.choices) + ")"
            : a.names_path     ? "_files"
                               : " ")
        << "'";
    s << "\n      ;;\n";
  }
  s << "  esac\n"
       "}\n"
       "_fundstelle \"$@\"\n";
  return s.str();
}

std::string man_page(const CLI::App& app, const std::string& version) {
  const auto commands = commands_of(app);
  std::ostringstream s;
  s << ".\\\" fundstelle(1), made by `fundstelle manpage` from the program's own options: do not edit.\n"
       ".TH FUNDSTELLE 1 \"\" \"fundstelle "
    << version
    << "\" \"User Commands\"\n"
       ".SH NAME\n"
       "fundstelle \\- full\\-text search for German news, by passage\n"
       ".\\\" (no hyphenation: option names and paths stay whole)\n"
       ".nh\n"
       ".SH SYNOPSIS\n";
  for (const auto& c : commands) {
    s << ".B fundstelle " << c.name << "\n[\\fIoptions\\fR]";
    for (const auto& a : c.arguments)
      s << " " << (a.required ? "" : "[") << "\\fI" << roff(a.name) << "\\fR" << (a.many ? "\\&..." : "")
        << (a.required ? "" : "]");
    s << "\n.br\n";
  }
  s << ".SH DESCRIPTION\n"
       "Fundstelle indexes German news articles (plain .txt files with their reader comments and page clutter,\n"
       "and JSON Lines feeds) and answers a query with the best \\fIpassages\\fR: a few sentences of an article,\n"
       "or one reader comment, ranked and highlighted, each with its article.\n"
       "German is analysed as German: inflected forms, umlauts typed as ue or not at all, and compounds\n"
       "(\\fIEntwicklungszentrum\\fR is found by \\fIZentrum\\fR).\n"
       ".PP\n"
       "Every command that reads or writes an index takes \\fB\\-\\-db\\fR \\fIFOLDER\\fR, the index folder (default:\n"
       "$FUNDSTELLE_INDEX, else\n"
       "$XDG_DATA_HOME/fundstelle/index or ~/.local/share/fundstelle/index).\n"
       "Searching works while an index is written: a search sees the last commit.\n"
       "Each command also takes \\fB\\-h\\fR, \\fB\\-\\-help\\fR.\n"
       ".SH COMMANDS\n";
  for (const auto& c : commands) {
    s << ".SS " << c.name << "\n" << roff(c.description) << ".\n";
    for (const auto& a : c.arguments) s << ".TP\n.I " << roff(a.name) << "\n" << roff(a.description) << ".\n";
    for (const auto& o : c.options) {
      if (std::find(o.names.begin(), o.names.end(), "--help") != o.names.end()) continue;  // said once, below
      s << ".TP\n";
      bool first = true;
      for (const auto& n : o.names) {
        s << (first ? "" : ", ") << "\\fB" << roff(n) << "\\fR";
        first = false;
      }
      if (o.takes_value) s << " \\fI" << (o.choices.empty() ? o.value : joined(o.choices, "|")) << "\\fR";
      s << "\n" << roff(o.description) << "\n";
    }
  }
  s << ".SH EXIT STATUS\n"
       ".TP\n.B 0\nFound (search), done (index, check, compact, export, sources), or stopped by a signal (serve).\n"
       ".TP\n.B 1\nNothing found (search), or the index is not sound (check).\n"
       ".TP\n.B 2\nA usage or input error: an unknown command or option, a malformed query or date, a file that\n"
       "is not text, a broken feed line, a missing or locked index. The message on standard error says which.\n"
       ".TP\n.B 130\nInterrupted (Ctrl\\-C) while indexing; what was committed before stays.\n"
       ".SH ENVIRONMENT\n"
       ".TP\n.B FUNDSTELLE_INDEX\nThe index folder when \\fB\\-\\-db\\fR is not given.\n"
       ".TP\n.B FUNDSTELLE_WRITE_TOKEN\nThe write token of \\fBserve\\fR when no \\fB\\-\\-write\\-token\\-file\\fR "
       "or \\fB\\-\\-write\\-token\\fR is given.\n"
       ".TP\n.B NO_COLOR\nNo colours on the terminal (as \\fB\\-\\-color never\\fR).\n"
       ".SH FILES\n"
       ".TP\n.I ~/.local/share/fundstelle/index\nThe default index folder.\n"
       ".TP\n.I /etc/default/fundstelle\nThe settings of the \\fBfundstelle\\-serve\\fR systemd service (index "
       "folder, address, port, options).\n"
       ".TP\n.I /etc/fundstelle/write\\-token\nThe service's write token, when writes over HTTP are wanted.\n"
       ".SH EXAMPLES\n"
       ".nf\n"
       "fundstelle index corpus/\n"
       "fundstelle search \"Entwicklungszentrum M\\(:unchen\"\n"
       "fundstelle search \\-\\-json \\-\\-sort newest \\-\\-from 2025\\-01 Batteriewerk\n"
       "fundstelle index \\-\\-watch feed.jsonl\n"
       "fundstelle serve \\-\\-port 8080\n"
       ".fi\n"
       ".SH SEE ALSO\n"
       "The README of the project, with the HTTP/JSON service, the C++ library and the feed format;\n"
       "\\fBfundstelle completion bash\\fR for the shell completion.\n";
  return s.str();
}

}  // namespace fundstelle::cli
