// The C++ simdjson reference for the end-to-end benchmark: the same parse and filter as
//
//     weir eval --count "data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'" FILE
//
// done the way simdjson's documentation does it: the whole file loaded into one padded buffer
// (padded_string::load) and split into documents by dom::parser::parse_many. Prints the number
// of matching documents on standard output (and, with -v, the documents read on standard error).
//
// Usage: reference [-v] FILE

#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <string_view>

using namespace simdjson;

/// data.totalAmount > 1000 (read as a double) AND data.shippingAddress.country == "USA".
static bool matches(dom::element document) {
    dom::element data;
    if (document["data"].get(data)) { return false; }
    double total;
    if (data["totalAmount"].get_double().get(total)) { return false; }
    std::string_view country;
    if (data["shippingAddress"]["country"].get_string().get(country)) { return false; }
    return total > 1000 && country == "USA";
}

int main(int argc, char **argv) {
    bool verbose = argc == 3 && std::strcmp(argv[1], "-v") == 0;
    if (argc != 2 && !verbose) {
        std::fprintf(stderr, "usage: %s [-v] FILE\n", argv[0]);
        return 2;
    }
    const char *path = argv[argc - 1];
    padded_string json;
    if (auto error = padded_string::load(path).get(json)) {
        std::fprintf(stderr, "%s: %s\n", path, error_message(error));
        return 1;
    }
    dom::parser parser;
    dom::document_stream documents;
    if (auto error = parser.parse_many(json).get(documents)) {
        std::fprintf(stderr, "%s: %s\n", path, error_message(error));
        return 1;
    }
    size_t read = 0, invalid = 0, count = 0;
    for (auto result : documents) {
        dom::element document;
        if (result.get(document)) {
            invalid++;
            continue;
        }
        read++;
        if (matches(document)) { count++; }
    }
    if (verbose) { std::fprintf(stderr, "%zu documents, %zu invalid\n", read, invalid); }
    std::printf("%zu\n", count);
    return 0;
}
