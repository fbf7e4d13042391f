#ifndef WEIR_SIMDJSON_H
#define WEIR_SIMDJSON_H
// A small C interface over simdjson's DOM parser, for Swift.
//
// One parser parses one document at a time; elements stay valid until the
// parser parses the next document or is destroyed. Nothing here allocates per
// document once the parser has grown to the largest document seen.

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes that must be readable (any content) after the end of a document passed to weir_parse.
size_t weir_json_padding(void);

typedef struct weir_parser weir_parser;

/// A parser accepting documents up to `max_bytes` long and `max_depth` levels deep (a top-level
/// object or array is level 1; as simdjson counts, an empty array or object adds no level).
/// NULL when out of memory.
weir_parser *weir_parser_create(size_t max_bytes, size_t max_depth);
void weir_parser_destroy(weir_parser *parser);

/// A JSON value inside the parser's current document (a copy of simdjson's dom::element).
typedef struct weir_elem {
    const void *doc;
    size_t index;
} weir_elem;

/// Kinds of JSON values, as weir_elem_kind returns them.
enum {
    WEIR_JSON_NULL = 0,
    WEIR_JSON_BOOL = 1,
    WEIR_JSON_INT64 = 2,
    WEIR_JSON_UINT64 = 3,
    WEIR_JSON_DOUBLE = 4,
    WEIR_JSON_STRING = 5,
    WEIR_JSON_ARRAY = 6,
    WEIR_JSON_OBJECT = 7,
};

/// Results of weir_parse: 0 is success; anything else names why the document was rejected.
enum {
    WEIR_PARSE_OK = 0,
    WEIR_PARSE_INVALID_JSON = 1,   // not JSON (syntax error, bad literal, bad number, bad string, trailing content)
    WEIR_PARSE_INVALID_UTF8 = 2,   // the bytes are not valid UTF-8
    WEIR_PARSE_TOO_DEEP = 3,       // nested deeper than the parser's max_depth
    WEIR_PARSE_TOO_BIG = 4,        // longer than the parser's max_bytes
    WEIR_PARSE_EMPTY = 5,          // only whitespace
    WEIR_PARSE_OUT_OF_MEMORY = 6,
};

/// Parses `len` bytes at `buf` (followed by weir_json_padding() readable bytes) and stores the root in *root.
int weir_parse(weir_parser *parser, const char *buf, size_t len, weir_elem *root);

/// A short human-readable detail for the last failed parse (simdjson's own message), never NULL.
const char *weir_parser_last_error(const weir_parser *parser);

int weir_elem_kind(weir_elem e);
bool weir_elem_bool(weir_elem e);
int64_t weir_elem_int64(weir_elem e);
uint64_t weir_elem_uint64(weir_elem e);
double weir_elem_double(weir_elem e);
/// The UTF-8 bytes of a string element (not NUL-terminated); *len receives the length.
/// Never NULL: any other element gives "" and a length of 0.
const char *weir_elem_string(weir_elem e, size_t *len);

/// Looks a key up in an object (exact, case-sensitive). Returns true and sets *out when found.
/// When the key appears more than once, its last occurrence counts (as in JSONObject).
bool weir_elem_field(weir_elem object, const char *key, size_t key_len, weir_elem *out);

/// One key for weir_elem_fields: the key going in, what was found coming out.
typedef struct weir_field {
    const char *key;      // in: the key (exact, case-sensitive)
    size_t key_len;       // in
    int kind;             // out: the kind of the key's last occurrence, or -1 when absent
    weir_elem value;      // out: the value of its last occurrence (zeroed when absent)
    const char *string;   // out: the bytes of that value when it is a string, else ""
    size_t string_len;    // out
    size_t position;      // out: the index among the object's fields of its first occurrence (SIZE_MAX when absent)
} weir_field;

/// Looks up `count` distinct keys in one pass over an object's fields. Each key's last
/// occurrence counts, as in weir_elem_field. Returns false (every key absent) when `object` is
/// not an object.
bool weir_elem_fields(weir_elem object, weir_field *fields, size_t count);

/// weir_elem_fields, also checking in the same pass that every key is a CloudEvents attribute
/// name (lower-case letters a-z and digits 0-9, not empty; or the JSON format's "data_base64"):
/// *bad_key (and *bad_key_len) receive the first key in document order that is not, or NULL.
bool weir_elem_fields_checked(weir_elem object, weir_field *fields, size_t count, const char **bad_key,
                              size_t *bad_key_len);

/// The element at `index` of an array. Returns true and sets *out when the index is in range.
bool weir_elem_at(weir_elem array, size_t index, weir_elem *out);
/// Number of elements of an array or fields of an object (0 for scalars).
size_t weir_elem_count(weir_elem e);

/// A path step: a key (key != NULL) or an array index (key == NULL).
typedef struct weir_step {
    const char *key;
    size_t key_len;
    size_t index;
} weir_step;

/// Follows `count` steps from `from`. Returns true and sets *out when every step exists.
bool weir_elem_path(weir_elem from, const weir_step *steps, size_t count, weir_elem *out);

/// Iteration over an array's elements or an object's fields, in document order.
/// Opaque: `at` and `end` are bit-copies of simdjson's dom::array::iterator or
/// dom::object::iterator (current position and end); `kind` says which.
typedef struct weir_iter {
    uintptr_t at[2];
    uintptr_t end[2];
    int kind;  // WEIR_JSON_ARRAY, WEIR_JSON_OBJECT, or WEIR_JSON_NULL (a scalar: nothing to iterate)
} weir_iter;

/// An iterator over `container`; a scalar gives an iterator with nothing to iterate.
weir_iter weir_iter_begin(weir_elem container);
/// Moves to the next entry. For objects *key/*key_len receive the key; for arrays they are left alone.
bool weir_iter_next(weir_iter *it, const char **key, size_t *key_len, weir_elem *value);

/// Results of weir_pack.
enum {
    WEIR_PACK_OK = 0,
    WEIR_PACK_NO_ROOM = 1,    // `capacity` words are not enough: call again with more
    WEIR_PACK_FALLBACK = 2,   // an object repeats a key, has more than 16 fields with a repeat
                              // possible, or nesting is deeper than 256: pack it another way
};

/// Writes `value` in Weir's packed form (WeirCore's PackedJSON layout: a header word
/// `tag | payload << 4` per value; integers and doubles one more word; strings their bytes in
/// whole words, zero-padded; arrays and objects a count in the header, then their body's size
/// in words, then their elements, or keys and values) to `out`, at most `capacity` words.
/// *used receives the number of words written when the result is WEIR_PACK_OK.
/// Unsigned integers beyond int64 are written as doubles, as the Swift side reads them.
int weir_pack(weir_elem value, uint64_t *out, size_t capacity, size_t *used);

/// Writes a checked CloudEvent document (an object whose `specversion`, `id`, `source` and
/// `type` are strings) as weir_pack does, in the layout of WeirCore's Event: the four required
/// attributes first (in that order), then every other member whose value is not null, in
/// document order, then `data` (when present and not null). *data_offset receives the offset of
/// `data`'s value, or -1. WEIR_PACK_FALLBACK also when a required attribute is not a string.
int weir_pack_event(weir_elem root, uint64_t *out, size_t capacity, size_t *used, ptrdiff_t *data_offset);

#ifdef __cplusplus
}
#endif

#endif
