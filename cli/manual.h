// Texts made from the command line's own definition (the CLI11 App that main.cpp builds), so that they cannot
// drift from it: shell completions for bash and zsh (`fundstelle completion bash|zsh`) and the manual page
// fundstelle(1) (`fundstelle manpage`, not listed in --help; made at build time, installed, and in the .deb).
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace fundstelle::cli {

// A bash completion script: commands, each command's options, the values of options that take one of a
// few (--sort newest), files and folders where an option or argument names one.
std::string bash_completion(const CLI::App& app);

// The same as a zsh completion function (#compdef fundstelle), with each option's description.
std::string zsh_completion(const CLI::App& app);

// The manual page in roff (man(7)): synopsis, every command with its options as --help gives them, exit
// status, environment, files and examples.
std::string man_page(const CLI::App& app, const std::string& version);

}  // namespace fundstelle::cli
