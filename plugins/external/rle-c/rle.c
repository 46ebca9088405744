/*
 * Run-length coding as a workbench external plugin (protocol 1, plugins/external/PROTOCOL.md).
 *
 * Symbols: 0..255 are literal bytes (raw bytes passed through); 256 + k repeats the previous
 * byte k + 1 more times (k = 0..255). Alphabet 512, so payloads carry 2-byte little-endian
 * symbols. One span per run of equal bytes.
 *
 * The JSON reading here is a deliberately small scanner for the flat headers the workbench
 * sends (`"key":number` and `"key":[numbers]`); a plugin with richer needs should use a JSON
 * library. Standard C only; built by run.sh on first use.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROTOCOL_VERSION 1
#define ALPHABET 512

/* ---- I/O ---- */

static int read_exact(uint8_t *buffer, size_t count) {
    size_t done = 0;
    while (done < count) {
        ssize_t got = read(0, buffer + done, count - done);
        if (got == 0) return done == 0 ? 0 : -1; /* 0: clean end of input between frames */
        if (got < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        done += (size_t)got;
    }
    return 1;
}

static void write_all(const uint8_t *buffer, size_t count) {
    while (count > 0) {
        ssize_t put = write(1, buffer, count);
        if (put < 0) {
            if (errno == EINTR) continue;
            exit(2); /* the workbench went away */
        }
        buffer += put;
        count -= (size_t)put;
    }
}

static void put_u32(uint8_t *out, uint32_t value) {
    for (int i = 0; i < 4; i++) out[i] = (uint8_t)(value >> (8 * i));
}

static uint32_t get_u32(const uint8_t *in) {
    return (uint32_t)in[0] | (uint32_t)in[1] << 8 | (uint32_t)in[2] << 16 | (uint32_t)in[3] << 24;
}

static void *checked_malloc(size_t bytes) {
    void *pointer = malloc(bytes ? bytes : 1);
    if (!pointer) {
        fprintf(stderr, "rle-c: out of memory (%zu bytes)\n", bytes);
        exit(3);
    }
    return pointer;
}

/* ---- A growing text buffer for JSON headers ---- */

typedef struct { char *text; size_t length, capacity; } Text;

static void text_add(Text *t, const char *format, long long value, const char *string) {
    char piece[512];
    int n = string ? snprintf(piece, sizeof piece, format, string) : snprintf(piece, sizeof piece, format, value);
    if (n < 0) return;
    if ((size_t)n >= sizeof piece) n = sizeof piece - 1;
    if (t->length + (size_t)n + 1 > t->capacity) {
        t->capacity = (t->length + (size_t)n + 1) * 2;
        t->text = realloc(t->text, t->capacity);
        if (!t->text) exit(3);
    }
    memcpy(t->text + t->length, piece, (size_t)n + 1);
    t->length += (size_t)n;
}

static void send_frame(Text *header, const uint8_t *payload, size_t payload_bytes) {
    uint8_t prefix[8];
    put_u32(prefix, (uint32_t)header->length);
    put_u32(prefix + 4, (uint32_t)payload_bytes);
    write_all(prefix, 8);
    write_all((const uint8_t *)header->text, header->length);
    if (payload_bytes) write_all(payload, payload_bytes);
    free(header->text);
    header->text = NULL;
    header->length = header->capacity = 0;
}

/* ---- A tiny scanner for "key":value in a flat JSON header ---- */

static const char *find_key(const char *json, const char *key) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\"", key);
    const char *at = strstr(json, pattern);
    if (!at) return NULL;
    at += strlen(pattern);
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r') at++;
    if (*at != ':') return NULL;
    at++;
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r') at++;
    return at;
}

static long long number_field(const char *json, const char *key, long long fallback) {
    const char *at = find_key(json, key);
    return at ? strtoll(at, NULL, 10) : fallback;
}

/* Parses "key":[n, n, ...] into a malloc'd array; returns the count, or -1 if absent. */
static long long array_field(const char *json, const char *key, long long **values) {
    const char *at = find_key(json, key);
    if (!at || *at != '[') return -1;
    at++;
    size_t capacity = 16, count = 0;
    *values = checked_malloc(capacity * sizeof **values);
    for (;;) {
        while (*at == ' ' || *at == ',' || *at == '\n' || *at == '\t' || *at == '\r') at++;
        if (*at == ']' || *at == '\0') break;
        char *end;
        long long value = strtoll(at, &end, 10);
        if (end == at) break;
        if (count == capacity) {
            capacity *= 2;
            *values = realloc(*values, capacity * sizeof **values);
            if (!*values) exit(3);
        }
        (*values)[count++] = value;
        at = end;
    }
    return (long long)count;
}

/* ---- The codec ---- */

/* Encodes one document into symbols (capacity 2n) and spans (capacity 4n); returns counts. */
static void rle_encode(const uint8_t *in, size_t n, uint32_t *symbols, size_t *symbol_count,
                       uint32_t *spans, size_t *span_count) {
    size_t s = 0, p = 0, i = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && in[i + run] == in[i]) run++;
        size_t first = s;
        symbols[s++] = in[i];
        size_t remaining = run - 1;
        while (remaining > 0) {
            size_t take = remaining < 256 ? remaining : 256;
            symbols[s++] = 256 + (uint32_t)(take - 1);
            remaining -= take;
        }
        spans[4 * p] = (uint32_t)first;
        spans[4 * p + 1] = (uint32_t)s;
        spans[4 * p + 2] = (uint32_t)i;
        spans[4 * p + 3] = (uint32_t)(i + run);
        p++;
        i += run;
    }
    *symbol_count = s;
    *span_count = p;
}

/* Decodes; returns NULL on success or a static error kind with *message set. */
static const char *rle_decode(const uint32_t *symbols, size_t count, size_t max_output,
                              uint8_t *out, size_t *out_count, char *message, size_t message_bytes) {
    size_t o = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t symbol = symbols[i];
        if (symbol >= ALPHABET) {
            snprintf(message, message_bytes, "symbol %u at index %zu is not below %d", symbol, i, ALPHABET);
            return "symbol_out_of_range";
        }
        size_t produce = symbol < 256 ? 1 : (size_t)(symbol - 256) + 1;
        if (symbol >= 256 && o == 0) {
            snprintf(message, message_bytes, "repeat symbol %u at index %zu has no byte to repeat", symbol, i);
            return "corrupt_input";
        }
        if (o + produce > max_output) {
            snprintf(message, message_bytes, "decoding exceeds the limit of %zu bytes at symbol %zu", max_output, i);
            return "output_limit_exceeded";
        }
        if (symbol < 256) {
            out[o++] = (uint8_t)symbol;
        } else {
            memset(out + o, out[o - 1], produce);
            o += produce;
        }
    }
    *out_count = o;
    return NULL;
}

/* ---- Requests ---- */

static void handle_encode(const char *json, long long id, const uint8_t *payload, size_t payload_bytes) {
    long long *lengths = NULL;
    long long documents = array_field(json, "lengths", &lengths);
    if (documents < 0) documents = 0;
    size_t total = 0;
    for (long long d = 0; d < documents; d++) total += (size_t)lengths[d];
    if (total != payload_bytes) {
        Text header = {0};
        text_add(&header, "{\"type\":\"error\",\"id\":%lld,\"kind\":\"plugin_failure\",", id, NULL);
        text_add(&header, "\"message\":\"lengths add up to %lld bytes but the payload differs\"}", (long long)total, NULL);
        send_frame(&header, NULL, 0);
        free(lengths);
        return;
    }
    /* Worst case: 2 symbols and 1 span per input byte. */
    uint32_t *symbols = checked_malloc(2 * total * sizeof *symbols);
    uint32_t *spans = checked_malloc(4 * total * sizeof *spans);
    size_t *symbol_counts = checked_malloc((size_t)documents * sizeof *symbol_counts + 1);
    size_t *span_counts = checked_malloc((size_t)documents * sizeof *span_counts + 1);
    size_t symbol_total = 0, span_total = 0, offset = 0;
    for (long long d = 0; d < documents; d++) {
        rle_encode(payload + offset, (size_t)lengths[d], symbols + symbol_total, &symbol_counts[d],
                   spans + 4 * span_total, &span_counts[d]);
        offset += (size_t)lengths[d];
        symbol_total += symbol_counts[d];
        span_total += span_counts[d];
    }
    /* Payload: every document's 2-byte symbols, then every document's spans (4 x uint32). */
    size_t out_bytes = 2 * symbol_total + 16 * span_total;
    uint8_t *out = checked_malloc(out_bytes);
    for (size_t i = 0; i < symbol_total; i++) {
        out[2 * i] = (uint8_t)symbols[i];
        out[2 * i + 1] = (uint8_t)(symbols[i] >> 8);
    }
    for (size_t i = 0; i < 4 * span_total; i++) put_u32(out + 2 * symbol_total + 4 * i, spans[i]);
    Text header = {0};
    text_add(&header, "{\"type\":\"encoded\",\"id\":%lld,\"counts\":[", id, NULL);
    for (long long d = 0; d < documents; d++) text_add(&header, d ? ",%lld" : "%lld", (long long)symbol_counts[d], NULL);
    text_add(&header, "%s", 0, "],\"span_counts\":[");
    for (long long d = 0; d < documents; d++) text_add(&header, d ? ",%lld" : "%lld", (long long)span_counts[d], NULL);
    text_add(&header, "%s", 0, "]}");
    send_frame(&header, out, out_bytes);
    free(out); free(symbols); free(spans); free(symbol_counts); free(span_counts); free(lengths);
}

static void handle_decode(const char *json, long long id, const uint8_t *payload, size_t payload_bytes) {
    long long *counts = NULL, *bounds = NULL;
    long long documents = array_field(json, "counts", &counts);
    long long bound_count = array_field(json, "max_output_bytes", &bounds);
    if (documents < 0) documents = 0;
    size_t symbol_total = 0, output_capacity = 0;
    for (long long d = 0; d < documents; d++) {
        symbol_total += (size_t)counts[d];
        output_capacity += d < bound_count ? (size_t)bounds[d] : 0;
    }
    if (bound_count != documents || 2 * symbol_total != payload_bytes) {
        Text header = {0};
        text_add(&header, "{\"type\":\"error\",\"id\":%lld,\"kind\":\"plugin_failure\",", id, NULL);
        text_add(&header, "%s", 0, "\"message\":\"decode request: counts, bounds and payload disagree\"}");
        send_frame(&header, NULL, 0);
        free(counts); free(bounds);
        return;
    }
    uint8_t *out = checked_malloc(output_capacity);
    size_t *lengths = checked_malloc((size_t)documents * sizeof *lengths + 1);
    Text errors = {0};
    int any_error = 0;
    size_t out_total = 0, offset = 0;
    uint32_t *symbols = checked_malloc(symbol_total * sizeof *symbols);
    for (size_t i = 0; i < symbol_total; i++) symbols[i] = (uint32_t)payload[2 * i] | (uint32_t)payload[2 * i + 1] << 8;
    text_add(&errors, "%s", 0, ",\"errors\":[");
    for (long long d = 0; d < documents; d++) {
        char message[200];
        size_t produced = 0;
        const char *kind = rle_decode(symbols + offset, (size_t)counts[d], (size_t)bounds[d], out + out_total,
                                      &produced, message, sizeof message);
        offset += (size_t)counts[d];
        if (d) text_add(&errors, "%s", 0, ",");
        if (kind) {
            any_error = 1;
            lengths[d] = 0;
            text_add(&errors, "{\"kind\":\"%s\",", 0, kind);
            text_add(&errors, "\"message\":\"%s\"}", 0, message);
        } else {
            lengths[d] = produced;
            out_total += produced;
            text_add(&errors, "%s", 0, "null");
        }
    }
    text_add(&errors, "%s", 0, "]");
    Text header = {0};
    text_add(&header, "{\"type\":\"decoded\",\"id\":%lld,\"lengths\":[", id, NULL);
    for (long long d = 0; d < documents; d++) text_add(&header, d ? ",%lld" : "%lld", (long long)lengths[d], NULL);
    text_add(&header, "%s", 0, "]");
    if (any_error) text_add(&header, "%s", 0, errors.text);
    text_add(&header, "%s", 0, "}");
    send_frame(&header, out, out_total);
    free(errors.text); free(out); free(lengths); free(symbols); free(counts); free(bounds);
}

int main(void) {
    int said_hello = 0;
    for (;;) {
        uint8_t prefix[8];
        int status = read_exact(prefix, 8);
        if (status == 0) return 0; /* end of input: the workbench is done */
        if (status < 0) {
            fprintf(stderr, "rle-c: truncated frame prefix\n");
            return 1;
        }
        uint32_t header_bytes = get_u32(prefix), payload_bytes = get_u32(prefix + 4);
        char *json = checked_malloc((size_t)header_bytes + 1);
        uint8_t *payload = checked_malloc(payload_bytes);
        if (read_exact((uint8_t *)json, header_bytes) <= 0 || (payload_bytes && read_exact(payload, payload_bytes) <= 0)) {
            fprintf(stderr, "rle-c: truncated frame\n");
            return 1;
        }
        json[header_bytes] = '\0';
        long long id = number_field(json, "id", 0);
        Text header = {0};
        if (!said_hello) {
            said_hello = 1;
            if (!strstr(json, "\"hello\"") || number_field(json, "protocol_version", -1) != PROTOCOL_VERSION) {
                text_add(&header, "%s", 0, "{\"type\":\"error\",\"id\":0,\"kind\":\"plugin_failure\",");
                text_add(&header, "\"message\":\"rle-c speaks protocol version %lld only\"}", PROTOCOL_VERSION, NULL);
                send_frame(&header, NULL, 0);
                return 1;
            }
            text_add(&header, "{\"type\":\"ready\",\"id\":0,\"protocol_version\":%lld,", PROTOCOL_VERSION, NULL);
            text_add(&header, "%s", 0, "\"name\":\"rle-c\",\"version\":\"1.0\",\"alphabet_size\":512,");
            text_add(&header, "%s", 0, "\"passes_raw_bytes_through\":true,\"gives_spans\":true,\"accepted_options\":[]}");
            send_frame(&header, NULL, 0);
        } else if (strstr(json, "\"type\":\"encode\"")) {
            handle_encode(json, id, payload, payload_bytes);
        } else if (strstr(json, "\"type\":\"decode\"")) {
            handle_decode(json, id, payload, payload_bytes);
        } else if (strstr(json, "\"type\":\"shutdown\"")) {
            return 0;
        } else {
            text_add(&header, "{\"type\":\"error\",\"id\":%lld,\"kind\":\"plugin_failure\",", id, NULL);
            text_add(&header, "%s", 0, "\"message\":\"unknown request type\"}");
            send_frame(&header, NULL, 0);
        }
        free(json);
        free(payload);
    }
}
