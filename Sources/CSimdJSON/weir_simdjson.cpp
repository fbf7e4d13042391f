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

/// Packs values into PackedJSON words (see weir_pack): recursive, up to `max_pack_depth` levels.
struct packer {
    uint64_t *out;
    size_t capacity;
    size_t at = 0;
    int status = WEIR_PACK_OK;

    static constexpr size_t max_pack_depth = 256;
    static constexpr size_t max_pairwise_fields = 16;

    bool room(size_t words) noexcept {
        if (capacity - at >= words) { return true; }
        status = WEIR_PACK_NO_ROOM;
        return false;
    }

    bool string(const char *bytes, size_t length) noexcept {
        size_t body = (length + 7) / 8;
        if (!room(1 + body)) { return false; }
        out[at++] = 5 | uint64_t(length) << 4;
        if (body > 0) {
            out[at + body - 1] = 0;  // the padding of the last word
            std::memcpy(out + at, bytes, length);
            at += body;
        }
        return true;
    }

    /// Whether an object has no repeated key (pairwise: objects are small). Objects too large to
    /// check this way are refused (status FALLBACK).
    bool distinct_keys(dom::object fields) noexcept {
        const char *keys[max_pairwise_fields];
        size_t lengths[max_pairwise_fields];
        size_t n = 0;
        for (dom::key_value_pair field : fields) {
            if (n == max_pairwise_fields) {
                status = WEIR_PACK_FALLBACK;
                return false;
            }
            const char *key = field.key.data();
            size_t length = field.key.size();
            for (size_t i = 0; i < n; i++) {
                if (lengths[i] == length && std::memcmp(keys[i], key, length) == 0) {
                    status = WEIR_PACK_FALLBACK;
                    return false;
                }
            }
            keys[n] = key;
            lengths[n] = length;
            n++;
        }
        return true;
    }

    bool value(dom::element e, size_t depth) noexcept {
        switch (e.type()) {
        case dom::element_type::NULL_VALUE:
            if (!room(1)) { return false; }
            out[at++] = 0;
            return true;
        case dom::element_type::BOOL: {
            if (!room(1)) { return false; }
            bool b = false;
            (void)e.get_bool().get(b);
            out[at++] = b ? 2 : 1;
            return true;
        }
        case dom::element_type::INT64: {
            if (!room(2)) { return false; }
            int64_t i = 0;
            (void)e.get_int64().get(i);
            out[at++] = 3;
            std::memcpy(&out[at++], &i, 8);
            return true;
        }
        case dom::element_type::UINT64:
        case dom::element_type::DOUBLE: {
            if (!room(2)) { return false; }
            double d = 0;
            if (e.type() == dom::element_type::UINT64) {
                uint64_t u = 0;
                (void)e.get_uint64().get(u);
                d = double(u);
            } else {
                (void)e.get_double().get(d);
            }
            out[at++] = 4;
            std::memcpy(&out[at++], &d, 8);
            return true;
        }
        case dom::element_type::STRING: {
            std::string_view text;
            (void)e.get_string().get(text);
            return string(text.data(), text.size());
        }
        case dom::element_type::ARRAY:
        case dom::element_type::OBJECT: {
            if (depth >= max_pack_depth) {
                status = WEIR_PACK_FALLBACK;
                return false;
            }
            if (!room(2)) { return false; }
            size_t mark = at;
            at += 2;
            uint64_t count = 0;
            if (e.type() == dom::element_type::ARRAY) {
                dom::array elements;
                (void)e.get_array().get(elements);
                for (dom::element element : elements) {
                    if (!value(element, depth + 1)) { return false; }
                    count++;
                }
                out[mark] = 6 | count << 4;
            } else {
                dom::object fields;
                (void)e.get_object().get(fields);
                if (!distinct_keys(fields)) { return false; }
                for (dom::key_value_pair field : fields) {
                    if (!string(field.key.data(), field.key.size())) { return false; }
                    if (!value(field.value, depth + 1)) { return false; }
                    count++;
                }
                out[mark] = 7 | count << 4;
            }
            out[mark + 1] = uint64_t(at - mark - 2);
            return true;
        }
        }
        status = WEIR_PACK_FALLBACK;
        return false;
    }
};

}  // namespace

extern "C" {

int weir_pack(weir_elem value, uint64_t *out, size_t capacity, size_t *used) {
    if (out == nullptr && capacity > 0) { return WEIR_PACK_NO_ROOM; }
    packer p{out, capacity};
    if (!valid(value)) {
        if (capacity < 1) { return WEIR_PACK_NO_ROOM; }
        out[0] = 0;
        p.at = 1;
    } else if (!p.value(unwrap(value), 0)) {
        return p.status;
    }
    if (used != nullptr) { *used = p.at; }
    return WEIR_PACK_OK;
}

int weir_pack_event(weir_elem root, uint64_t *out, size_t capacity, size_t *used, ptrdiff_t *data_offset) {
    static const char *const required[4] = {"specversion", "id", "source", "type"};
    static const size_t required_lengths[4] = {11, 2, 6, 4};
    if (out == nullptr && capacity > 0) { return WEIR_PACK_NO_ROOM; }
    dom::object fields;
    if (!valid(root) || unwrap(root).get_object().get(fields)) { return WEIR_PACK_FALLBACK; }
    packer p{out, capacity};
    if (!p.distinct_keys(fields)) { return p.status; }
    if (!p.room(2)) { return p.status; }
    p.at = 2;
    uint64_t count = 0;
    for (size_t r = 0; r < 4; r++) {
        bool found = false;
        for (dom::key_value_pair field : fields) {
            if (field.key.size() != required_lengths[r] || std::memcmp(field.key.data(), required[r], field.key.size()) != 0) {
                continue;
            }
            std::string_view text;
            if (field.value.get_string().get(text)) { return WEIR_PACK_FALLBACK; }
            if (!p.string(required[r], required_lengths[r]) || !p.string(text.data(), text.size())) { return p.status; }
            found = true;
            break;
        }
        if (!found) { return WEIR_PACK_FALLBACK; }
        count++;
    }
    dom::element data;
    bool has_data = false;
    for (dom::key_value_pair field : fields) {
        const char *key = field.key.data();
        size_t length = field.key.size();
        bool is_required = false;
        for (size_t r = 0; r < 4; r++) {
            if (length == required_lengths[r] && std::memcmp(key, required[r], length) == 0) { is_required = true; }
        }
        if (is_required || field.value.type() == dom::element_type::NULL_VALUE) { continue; }
        if (length == 4 && std::memcmp(key, "data", 4) == 0) {
            data = field.value;
            has_data = true;
            continue;
        }
        if (!p.string(key, length) || !p.value(field.value, 1)) { return p.status; }
        count++;
    }
    ptrdiff_t offset = -1;
    if (has_data) {
        if (!p.string("data", 4)) { return p.status; }
        offset = ptrdiff_t(p.at);
        if (!p.value(data, 1)) { return p.status; }
        count++;
    }
    out[0] = 7 | count << 4;
    out[1] = uint64_t(p.at - 2);
    if (used != nullptr) { *used = p.at; }
    if (data_offset != nullptr) { *data_offset = offset; }
    return WEIR_PACK_OK;
}

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
        // A key asked for is a valid attribute name (the names asked for are); only the others
        // are checked, the first bad one reported.
        bool matched = false;
        if (length >= 64 || ((lengths >> length) & 1) != 0) {
            for (size_t i = 0; i < count; i++) {
                weir_field &field = fields[i];
                if (field.key_len != length || (length > 0 && (field.key == nullptr || !same_bytes(field.key, key, length)))) {
                    continue;
                }
                matched = true;
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
        if (!matched && bad_key != nullptr && *bad_key == nullptr && !attribute_name(key, length)) {
            *bad_key = key;
            if (bad_key_len != nullptr) { *bad_key_len = length; }
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
