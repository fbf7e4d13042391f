// A second C++ reference for the end-to-end benchmark: the same parse and filter as
// reference.cpp, but streaming like weir does (1 MiB reads, lines split with memchr, one DOM
// parse per line in place), so memory stays flat. The fastest simple simdjson program we know
// for this job; weir is compared with both.
//
//     streaming FILE   -> prints the number of matching events
#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

using namespace simdjson;

static bool matches(dom::element doc) {
    dom::element data;
    if (doc["data"].get(data)) return false;
    double total;
    if (data["totalAmount"].get(total)) return false;
    std::string_view country;
    if (data["shippingAddress"]["country"].get(country)) return false;
    return total > 1000 && country == "USA";
}

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }
    FILE *file = std::fopen(argv[1], "rb");
    if (!file) {
        std::perror(argv[1]);
        return 1;
    }
    const size_t block = 1 << 20;
    std::vector<char> buffer(2 * block + SIMDJSON_PADDING);
    dom::parser parser;
    size_t have = 0, count = 0;
    while (true) {
        size_t got = std::fread(buffer.data() + have, 1, block, file);
        have += got;
        char *start = buffer.data(), *end = start + have;
        while (start < end) {
            char *newline = static_cast<char *>(std::memchr(start, '\n', end - start));
            if (!newline) {
                if (got != 0) break;  // an incomplete last line: read more first
                newline = end;        // the input ends without a newline
            }
            size_t length = newline - start;
            dom::element doc;
            if (length && !parser.parse(start, length, false).get(doc) && matches(doc)) count++;
            start = newline + 1;
        }
        size_t rest = start < end ? end - start : 0;
        std::memmove(buffer.data(), start, rest);
        have = rest;
        if (got == 0) break;
    }
    std::fclose(file);
    std::printf("%zu\n", count);
    return 0;
}
