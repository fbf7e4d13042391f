// The C interface of weir_simdjson.h over simdjson's DOM API.
//
// Only simdjson's error-code API is used (SIMDJSON_EXCEPTIONS is 0 here), every function is
// noexcept, and the one allocation of ours (the parser object) uses nothrow new, so no C++
// exception can cross into Swift. Elements and iterators are bit-copies of simdjson's own
// (trivially copyable) types.

#define SIMDJSON_EXCEPTIONS 0
#include <simdjson.h>

#include <cstring>
#include <new>
#include <type_traits>

#include "weir_simdjson.h"

using simdjson::error_code;
namespace dom = simdjson::dom;

struct weir_parser {
    dom::parser parser;
    size_t max_bytes;
    size_t max_depth;
    error_code last_error;

    // simdjson gives every document at least MINIMAL_DOCUMENT_CAPACITY bytes of room, so its own
    // limit is never below that; ours (max_bytes) is checked first.
    weir_parser(size_t bytes, size_t depth) noexcept
        : parser(bytes < simdjson::dom::MINIMAL_DOCUMENT_CAPACITY ? simdjson::dom::MINIMAL_DOCUMENT_CAPACITY : bytes),
          max_bytes(bytes), max_depth(depth), last_error(simdjson::SUCCESS) {}
};

namespace {

static_assert(sizeof(dom::element) == sizeof(weir_elem), "weir_elem must hold a dom::element");
static_assert(alignof(dom::element) <= alignof(weir_elem), "weir_elem must be aligned like a dom::element");
static_assert(std::is_trivially_copyable<dom::element>::value, "dom::element must be trivially copyable");

using array_iterator = dom::array::iterator;
using object_iterator = dom::object::iterator;
constexpr size_t iterator_slot = sizeof(((weir_iter *)nullptr)->at);
static_assert(sizeof(array_iterator) <= iterator_slot, "weir_iter.at must hold a dom::array::iterator");
static_assert(sizeof(object_iterator) <= iterator_slot, "weir_iter.at must hold a dom::object::iterator");
static_assert(alignof(array_iterator) <= alignof(uintptr_t), "weir_iter.at is too weakly aligned");
static_assert(alignof(object_iterator) <= alignof(uintptr_t), "weir_iter.at is too weakly aligned");
static_assert(std::is_trivially_copyable<array_iterator>::value, "dom::array::iterator must be trivially copyable");
static_assert(std::is_trivially_copyable<object_iterator>::value, "dom::object::iterator must be trivially copyable");

/// The smallest capacity the parser is given, so that short documents never cause a reallocation.
constexpr size_t minimum_capacity = 4 * 1024;

/// Whether `e` refers to a document (a zeroed weir_elem does not; every accessor treats it as null).
inline bool valid(weir_elem e) noexcept { return e.doc != nullptr; }

inline dom::element unwrap(weir_elem e) noexcept {
    dom::element out;
    std::memcpy(static_cast<void *>(&out), &e, sizeof out);
    return out;
}

inline weir_elem wrap(dom::element e) noexcept {
    weir_elem out;
    std::memcpy(&out, static_cast<const void *>(&e), sizeof out);
    return out;
}

template <typename Iterator>
inline Iterator load_iterator(const uintptr_t (&slot)[2]) noexcept {
    Iterator out;
    std::memcpy(static_cast<void *>(&out), slot, sizeof out);
    return out;
}

template <typename Iterator>
inline void store_iterator(uintptr_t (&slot)[2], const Iterator &it) noexcept {
    std::memcpy(slot, static_cast<const void *>(&it), sizeof it);
}

inline int kind_of(dom::element e) noexcept {
    switch (e.type()) {
    case dom::element_type::ARRAY: return WEIR_JSON_ARRAY;
    case dom::element_type::OBJECT: return WEIR_JSON_OBJECT;
    case dom::element_type::INT64: return WEIR_JSON_INT64;
    case dom::element_type::UINT64: return WEIR_JSON_UINT64;
    case dom::element_type::DOUBLE: return WEIR_JSON_DOUBLE;
    case dom::element_type::STRING: return WEIR_JSON_STRING;
    case dom::element_type::BOOL: return WEIR_JSON_BOOL;
    case dom::element_type::NULL_VALUE: return WEIR_JSON_NULL;
    }
    return WEIR_JSON_NULL;
}

/// Byte equality of two short keys of the same length (inline: keys are a few bytes long).
inline bool same_bytes(const char *a, const char *b, size_t length) noexcept {
    for (size_t i = 0; i < length; i++) {
        if (a[i] != b[i]) { return false; }
    }
    return true;
}

/// Whether a key is a CloudEvents attribute name: a-z and 0-9, not empty (or "data_base64").
inline bool attribute_name(const char *key, size_t length) noexcept {
    if (length == 0) { return false; }
    for (size_t i = 0; i < length; i++) {
        char c = key[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            return length == 11 && same_bytes(key, "data_base64", 11);
        }
    }
    return true;
}

int parse_result(error_code error) noexcept {
    switch (error) {
    case simdjson::SUCCESS: return WEIR_PARSE_OK;
    case simdjson::UTF8_ERROR: return WEIR_PARSE_INVALID_UTF8;
    case simdjson::DEPTH_ERROR: return WEIR_PARSE_TOO_DEEP;
    case simdjson::CAPACITY: return WEIR_PARSE_TOO_BIG;
    case simdjson::EMPTY: return WEIR_PARSE_EMPTY;
    case simdjson::MEMALLOC: return WEIR_PARSE_OUT_OF_MEMORY;
    default: return WEIR_PARSE_INVALID_JSON;
    }
}

/// Grows the parser (and its document) geometrically, so that a run of ever longer documents
/// costs a logarithmic number of allocations rather than one each, as simdjson's own exact
/// growth would.
error_code reserve(weir_parser *p, size_t len) noexcept {
    dom::parser &parser = p->parser;
    if (len <= parser.capacity() && len <= parser.doc.capacity()) { return simdjson::SUCCESS; }
    if (len > p->max_bytes) { return simdjson::CAPACITY; }
    size_t capacity = parser.capacity() * 2;
    if (capacity < minimum_capacity) { capacity = minimum_capacity; }
    if (capacity < len) { capacity = len; }
    if (capacity > parser.max_capacity()) { capacity = parser.max_capacity(); }
    if (parser.doc.capacity() < capacity) {
        error_code error = parser.doc.allocate(capacity);
        if (error) { return error; }
    }
    if (parser.capacity() < capacity) {
        error_code error = parser.allocate(capacity, p->max_depth);
        if (error) { return error; }
    }
    return simdjson::SUCCESS;
}

}  // namespace

extern "C" {

size_t weir_json_padding(void) { return simdjson::SIMDJSON_PADDING; }

weir_parser *weir_parser_create(size_t max_bytes, size_t max_depth) {
    // simdjson's max_depth counts one level more than the containers it allows: with N it
    // accepts N - 1 nested arrays/objects. Ours is the number of containers allowed.
    if (max_depth == 0) { max_depth = 1; }
    if (max_depth < SIZE_MAX) { max_depth += 1; }
    // nothrow new, and no simdjson allocation until the first parse: nothing here can throw.
    return new (std::nothrow) weir_parser(max_bytes, max_depth);
}

void weir_parser_destroy(weir_parser *parser) { delete parser; }

int weir_parse(weir_parser *parser, const char *buf, size_t len, weir_elem *root) {
    if (parser == nullptr || buf == nullptr || root == nullptr) { return WEIR_PARSE_INVALID_JSON; }
    error_code error = reserve(parser, len);
    dom::element element;
    if (!error) { error = parser->parser.parse(buf, len, false).get(element); }
    parser->last_error = error;
    if (error) { return parse_result(error); }
    *root = wrap(element);
    return WEIR_PARSE_OK;
}

const char *weir_parser_last_error(const weir_parser *parser) {
    if (parser == nullptr) { return ""; }
    return simdjson::error_message(parser->last_error);
}

int weir_elem_kind(weir_elem e) {
    if (!valid(e)) { return WEIR_JSON_NULL; }
    return kind_of(unwrap(e));
}

bool weir_elem_bool(weir_elem e) {
    bool value = false;
    if (!valid(e)) { return false; }
    if (unwrap(e).get_bool().get(value)) { return false; }
    return value;
}

int64_t weir_elem_int64(weir_elem e) {
    int64_t value = 0;
    if (!valid(e)) { return 0; }
    if (unwrap(e).get_int64().get(value)) { return 0; }
    return value;
}

uint64_t weir_elem_uint64(weir_elem e) {
    uint64_t value = 0;
    if (!valid(e)) { return 0; }
    if (unwrap(e).get_uint64().get(value)) { return 0; }
    return value;
}

double weir_elem_double(weir_elem e) {
    double value = 0;
    if (!valid(e)) { return 0; }
    if (unwrap(e).get_double().get(value)) { return 0; }
    return value;
}

const char *weir_elem_string(weir_elem e, size_t *len) {
    std::string_view text;
    if (!valid(e) || unwrap(e).get_string().get(text)) {
        if (len != nullptr) { *len = 0; }
        return "";
    }
    if (len != nullptr) { *len = text.size(); }
    return text.data();
}

bool weir_elem_field(weir_elem object, const char *key, size_t key_len, weir_elem *out) {
    dom::object fields;
    if (!valid(object) || unwrap(object).get_object().get(fields)) { return false; }
    if (key == nullptr && key_len > 0) { return false; }
    // Unlike dom::object::at_key, the last occurrence wins.
    bool found = false;
    object_iterator end = fields.end();
    for (object_iterator it = fields.begin(); it != end; ++it) {
        if (it.key_length() == key_len && same_bytes(it.key_c_str(), key, key_len)) {
            found = true;
            if (out != nullptr) { *out = wrap(it.value()); }
        }
    }
    return found;
}

bool weir_elem_fields(weir_elem object, weir_field *fields, size_t count) {
    return weir_elem_fields_checked(object, fields, count, nullptr, nullptr);
}

bool weir_elem_fields_checked(weir_elem object, weir_field *fields, size_t count, const char **bad_key,
                              size_t *bad_key_len) {
    if (bad_key != nullptr) { *bad_key = nullptr; }
    if (bad_key_len != nullptr) { *bad_key_len = 0; }
    if (fields == nullptr) { count = 0; }
    uint64_t lengths = 0;  // bit n set when some key is n bytes long (n < 64), to skip other keys fast
    for (size_t i = 0; i < count; i++) {
        fields[i].kind = -1;
        std::memset(&fields[i].value, 0, sizeof fields[i].value);
        fields[i].string = "";
        fields[i].string_len = 0;
        fields[i].position = SIZE_MAX;
        lengths |= fields[i].key_len < 64 ? uint64_t(1) << fields[i].key_len : 0;
    }
    dom::object entries;
    if (!valid(object) || unwrap(object).get_object().get(entries)) { return false; }
    if (count == 0 && bad_key == nullptr) { return true; }
    size_t position = 0;
    object_iterator end = entries.end();
    for (object_iterator it = entries.begin(); it != end; ++it, ++position) {
        size_t length = it.key_length();
        const char *key = it.key_c_str();
        if (bad_key != nullptr && *bad_key == nullptr && !attribute_name(key, length)) {
            *bad_key = key;
            if (bad_key_len != nullptr) { *bad_key_len = length; }
        }
        if (length < 64 && ((lengths >> length) & 1) == 0) { continue; }
        for (size_t i = 0; i < count; i++) {
            weir_field &field = fields[i];
            if (field.key_len != length || (length > 0 && (field.key == nullptr || !same_bytes(field.key, key, length)))) {
                continue;
            }
            dom::element value = it.value();
            field.value = wrap(value);
            field.kind = kind_of(value);
            std::string_view text;
            if (!value.get_string().get(text)) {
                field.string = text.data();
                field.string_len = text.size();
            } else {
                field.string = "";
                field.string_len = 0;
            }
            if (field.position == SIZE_MAX) { field.position = position; }
            break;  // keys are distinct
        }
    }
    return true;
}

bool weir_elem_at(weir_elem array, size_t index, weir_elem *out) {
    dom::array elements;
    if (!valid(array) || unwrap(array).get_array().get(elements)) { return false; }
    dom::element value;
    if (elements.at(index).get(value)) { return false; }
    if (out != nullptr) { *out = wrap(value); }
    return true;
}

size_t weir_elem_count(weir_elem e) {
    if (!valid(e)) { return 0; }
    dom::element element = unwrap(e);
    dom::array elements;
    if (!element.get_array().get(elements)) { return elements.size(); }
    dom::object fields;
    if (!element.get_object().get(fields)) { return fields.size(); }
    return 0;
}

bool weir_elem_path(weir_elem from, const weir_step *steps, size_t count, weir_elem *out) {
    if (count > 0 && steps == nullptr) { return false; }
    weir_elem current = from;
    for (size_t i = 0; i < count; i++) {
        const weir_step &step = steps[i];
        bool found = step.key != nullptr ? weir_elem_field(current, step.key, step.key_len, &current)
                                         : weir_elem_at(current, step.index, &current);
        if (!found) { return false; }
    }
    if (out != nullptr) { *out = current; }
    return true;
}

weir_iter weir_iter_begin(weir_elem container) {
    weir_iter it;
    std::memset(&it, 0, sizeof it);
    it.kind = WEIR_JSON_NULL;
    if (!valid(container)) { return it; }
    dom::element element = unwrap(container);
    dom::array elements;
    dom::object fields;
    if (!element.get_array().get(elements)) {
        store_iterator(it.at, elements.begin());
        store_iterator(it.end, elements.end());
        it.kind = WEIR_JSON_ARRAY;
    } else if (!element.get_object().get(fields)) {
        store_iterator(it.at, fields.begin());
        store_iterator(it.end, fields.end());
        it.kind = WEIR_JSON_OBJECT;
    }
    return it;
}

bool weir_iter_next(weir_iter *it, const char **key, size_t *key_len, weir_elem *value) {
    if (it == nullptr) { return false; }
    if (it->kind == WEIR_JSON_ARRAY) {
        array_iterator at = load_iterator<array_iterator>(it->at);
        if (!(at != load_iterator<array_iterator>(it->end))) { return false; }
        if (value != nullptr) { *value = wrap(*at); }
        ++at;
        store_iterator(it->at, at);
        return true;
    }
    if (it->kind == WEIR_JSON_OBJECT) {
        object_iterator at = load_iterator<object_iterator>(it->at);
        if (!(at != load_iterator<object_iterator>(it->end))) { return false; }
        if (key != nullptr) { *key = at.key_c_str(); }
        if (key_len != nullptr) { *key_len = at.key_length(); }
        if (value != nullptr) { *value = wrap(at.value()); }
        ++at;
        store_iterator(it->at, at);
        return true;
    }
    return false;
}

}  // extern "C"
