#include "util/names.h"

#include <cstdio>
#include <set>

#include "util/error.h"

namespace kml::names {

namespace {

// Length of the valid UTF-8 sequence (of a non-ASCII character) starting at s[i], 0 if there is none.
std::size_t utf8_length(const std::string& s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xc0) != 0x80) return 0;
  // Overlong forms, surrogates and code points above U+10FFFF.
  if (c == 0xe0 && b(i + 1) < 0xa0) return 0;
  if (c == 0xed && b(i + 1) > 0x9f) return 0;
  if (c == 0xf0 && b(i + 1) < 0x90) return 0;
  if (c == 0xf4 && b(i + 1) > 0x8f) return 0;
  return n;
}

void hex_escape(std::string& out, unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

const std::set<std::string>& reserved() {
  static const std::set<std::string> r = {
      // C++20 keywords and alternative tokens, and the identifiers with a special meaning.
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
      "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr",
      "constinit", "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete",
      "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
      "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
      "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
      "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
      "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "final",
      "override", "import", "module",
      // Namespaces and names of the program: the user's main(), the standard library, kml's runtime and the
      // vendor headers, the top function's siblings in defines.h.
      "main", "std", "kml", "hls", "ap", "posix", "input_t", "result_t",
      // Macros: GCC's in GNU modes (CMake's default -std=gnu++NN), the C library's lower-case ones.
      "linux", "unix", "i386", "assert", "errno", "offsetof", "stdin", "stdout", "stderr", "major", "minor",
      "makedev", "setjmp", "va_arg", "va_start", "va_end", "va_copy", "alloca", "NULL", "EOF", "BUFSIZ",
      // Functions and objects of the C library that the generated bridge's standard headers (<algorithm>,
      // <thread>, <vector>, <cmath>, <cstdio>, <cstdlib>, <cstring>) declare at global scope.
      "abort", "abs", "acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "atexit", "atof", "atoi", "atol",
      "atoll", "bsearch", "calloc", "cbrt", "ceil", "clearerr", "clock", "copysign", "cos", "cosh", "ctime",
      "difftime", "div", "erf", "erfc", "exit", "exp", "exp2", "expm1", "fabs", "fclose", "fdim", "feof", "ferror",
      "fflush", "fgetc", "fgetpos", "fgets", "floor", "fma", "fmax", "fmin", "fmod", "fopen", "fprintf", "fputc",
      "fputs", "fread", "free", "freopen", "frexp", "fscanf", "fseek", "fsetpos", "ftell", "fwrite", "getc",
      "getchar", "getenv", "gets", "gmtime", "hypot", "ilogb", "isalnum", "isalpha", "isblank", "iscntrl",
      "isdigit", "isgraph", "islower", "isprint", "ispunct", "isspace", "isupper", "isxdigit", "labs", "ldexp",
      "ldiv", "lgamma", "llabs", "llrint", "llround", "localtime", "log", "log10", "log1p", "log2", "logb",
      "lrint", "lround", "malloc", "memchr", "memcmp", "memcpy", "memmove", "memset", "mktime", "modf", "nan",
      "nanosleep", "nearbyint", "nextafter", "perror", "pow", "printf", "putc", "putchar", "puts", "qsort",
      "raise", "rand", "realloc", "remainder", "remove", "remquo", "rename", "rewind", "rint", "round", "scalbn",
      "scanf", "setbuf", "setvbuf", "signal", "sin", "sinh", "snprintf", "sprintf", "sqrt", "srand", "sscanf",
      "strcat", "strchr", "strcmp", "strcoll", "strcpy", "strcspn", "strerror", "strftime", "strlen", "strncat",
      "strncmp", "strncpy", "strpbrk", "strrchr", "strspn", "strstr", "strtod", "strtof", "strtok", "strtol",
      "strtold", "strtoll", "strtoul", "strtoull", "strxfrm", "system", "tan", "tanh", "tgamma", "time",
      "tmpfile", "tmpnam", "tolower", "toupper", "trunc", "ungetc", "vfprintf", "vprintf", "vsnprintf",
      "vsprintf", "sched_yield", "clock_gettime", "timezone", "daylight", "tzname", "tzset", "random", "srandom",
      "select", "sleep", "usleep", "read", "write", "open", "close", "pipe", "fork", "dup", "dup2", "link",
      "unlink", "access", "getpid", "kill", "wait", "index", "rindex", "bzero", "bcopy", "ffs", "y0", "y1", "yn",
      "j0", "j1", "jn", "gamma", "drem", "finite", "significand", "isinf", "isnan", "signbit", "isfinite",
      "isnormal", "fpclassify", "isgreater", "isless", "div_t", "ldiv_t", "FILE", "fpos_t"};
  return r;
}

bool has_prefix(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// Header names a file may include with the model's include directory on its search path.
const std::set<std::string>& system_headers() {
  static const std::set<std::string> h = {
      // C (C89 .. C23)
      "assert", "complex", "ctype", "errno", "fenv", "float", "inttypes", "iso646", "limits", "locale", "math",
      "setjmp", "signal", "stdalign", "stdarg", "stdatomic", "stdbit", "stdbool", "stdckdint", "stddef", "stdint",
      "stdio", "stdlib", "stdnoreturn", "string", "tgmath", "threads", "time", "uchar", "wchar", "wctype",
      // POSIX, glibc
      "aio", "alloca", "arpa", "cpio", "dirent", "dlfcn", "endian", "fcntl", "fnmatch", "ftw", "getopt", "glob",
      "grp", "iconv", "langinfo", "libgen", "malloc", "memory", "monetary", "mqueue", "netdb", "nl_types", "poll",
      "pthread", "pwd", "regex", "sched", "search", "semaphore", "spawn", "strings", "syslog", "tar", "termios",
      "ucontext", "unistd", "utime", "utmpx", "wordexp", "features", "execinfo", "link", "elf", "err", "error",
      // Vendor and kml runtime headers (ap_types, HLS)
      "ap_fixed", "ap_int", "ap_common", "ap_decl", "ap_private", "ap_fixed_base", "ap_fixed_ref",
      "ap_fixed_special", "ap_int_base", "ap_int_ref", "ap_int_special", "ap_axi_sdata", "ap_shift_reg",
      "hls_stream", "hls_math", "hls_vector", "hls_half", "hls_fpo", "etc", "kml_ap_common"};
  return h;
}

}  // namespace

std::string cpp_comment(const std::string& s) {
  std::string r;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (std::size_t n = utf8_length(s, i)) {
        r.append(s, i, n);
        i += n - 1;
      } else {
        hex_escape(r, c);
      }
    } else if (c == '\\' || c < 0x20 || c == 0x7f || (c == '?' && i > 0 && s[i - 1] == '?')) {
      hex_escape(r, c);  // a backslash (or ??/) ending the line would splice the next line into the comment
    } else {
      r += static_cast<char>(c);
    }
  }
  return r;
}

std::string cpp_string(const std::string& s) {
  std::string r = "\"";
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\' || c == '?') {  // '?': no trigraph (??/ is a backslash under -std=c++14)
      r += '\\';
      r += ch;
    } else if (c >= 0x20 && c < 0x7f) {
      r += ch;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);  // octal: at most three digits, unlike \x
      r += buf;
    }
  }
  return r + "\"";
}

bool is_reserved_ident(const std::string& id) {
  if (reserved().count(id)) return true;
  if (id.size() >= 2 && id.compare(id.size() - 2, 2, "_t") == 0) return true;  // typedefs: POSIX, defines.h
  for (const char* p : {"KML_", "kml_", "ap_", "AP_", "hls_", "HLS_", "ssdm_", "SSDM_", "af_"})
    if (has_prefix(id, p)) return true;
  return false;
}

std::string project_ident(const std::string& name) {
  std::string r;
  for (char c : name) {
    const char m = ascii_alnum(c) ? c : '_';
    if (m == '_' && !r.empty() && r.back() == '_') continue;  // no "__": reserved everywhere in C++
    r += m;
  }
  if (r.empty()) return "m";
  if (r[0] >= '0' && r[0] <= '9') r = "m_" + r;
  if (r[0] == '_') r = "m" + r;  // leading '_': reserved at global scope
  if (is_reserved_ident(r)) r += '_';
  return r;
}

bool is_project_name(const std::string& name) {
  if (name.empty() || name.size() > 200 || name[0] == '.' || name[0] == '-') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (ascii_alnum(c) || c == '_' || c == '.' || c == '+' || c == '-') continue;
    const std::size_t n = static_cast<unsigned char>(c) >= 0x80 ? utf8_length(name, i) : 0;
    if (n == 0) return false;
    i += n - 1;
  }
  return true;
}

std::string project_name_from_stem(const std::string& stem) {
  std::string r;
  for (std::size_t i = 0; i < stem.size() && r.size() < 200; ++i) {
    const char c = stem[i];
    if (ascii_alnum(c) || c == '_' || c == '.' || c == '+' || c == '-') {
      r += c;
      continue;
    }
    const std::size_t n = static_cast<unsigned char>(c) >= 0x80 ? utf8_length(stem, i) : 0;
    if (n) {
      r.append(stem, i, n);
      i += n - 1;
    } else {
      r += '_';
    }
  }
  if (r.empty()) return "model";
  if (r[0] == '.' || r[0] == '-') r[0] = '_';
  return r;
}

bool shadows_system_header(const std::string& name) { return system_headers().count(name) > 0; }

std::string file_stem(const std::string& name) {
  std::string r;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (ascii_alnum(c) || c == '_' || c == '-' || c == '+' || (c == '.' && i > 0)) {
      r += c;
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      r += buf;
    }
  }
  return r.empty() ? "%" : r;
}

void check_tool_word(const std::string& value, const std::string& key, const std::string& where) {
  if (value.empty()) return;
  bool ok = value.size() <= 128 && ascii_alnum(value[0]);
  for (char c : value) ok = ok && (ascii_alnum(c) || c == '_' || c == '.' || c == ':' || c == '+' || c == '-');
  if (!ok)
    throw file_error(where, key + " = \"" + shown(value) + "\"" +
                                ": not a plain word (letters, digits, _ . : + -); it is written into the vendor "
                                "tool's Tcl and .cfg files, where other characters could run commands");
}

std::string shown(const std::string& s) {
  std::string r;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7f) {
      if (c == '\n') r += "\\n";
      else if (c == '\t') r += "\\t";
      else if (c == '\r') r += "\\r";
      else hex_escape(r, c);
    } else {
      r += ch;
    }
  }
  return r;
}

}  // namespace kml::names
