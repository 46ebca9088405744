// The plain C loop the codec benchmark measures the Swift plugins against: for each document,
// call the library with the same parameters, the way a careful C program would (one context
// reused across documents, output into a reused buffer of the known size).
#ifndef CODEC_BASELINE_H
#define CODEC_BASELINE_H

#include <stddef.h>
#include <stdint.h>

typedef enum { CB_ZSTD = 0, CB_BROTLI = 1, CB_GZIP = 2 } cb_codec;

// Parameters: zstd uses `level`; brotli `level` (quality) and `window` (lgwin); gzip `level`
// with a gzip wrapper whose header has mtime 0 and OS 3, as the plugin writes.
typedef struct {
    cb_codec codec;
    int level;
    int window;
} cb_params;

// A reusable encoder (one zstd context, one zlib stream) for document-by-document timing.
typedef struct cb_encoder cb_encoder;
cb_encoder *cb_encoder_create(cb_params params);
void cb_encoder_free(cb_encoder *encoder);
// Compresses one document into `out`; returns the compressed size, or -1.
long cb_encode_one(cb_encoder *encoder, const uint8_t *document, size_t bytes, uint8_t *out, size_t capacity);

// Compresses documents[i] (document_bytes[i] bytes) into `out`, one after another; writes
// each compressed size to compressed_bytes[i]. Returns 0, or -1 when a call fails or `out`
// (out_capacity bytes) is too small.
int cb_compress_all(cb_params params, size_t count, const uint8_t *const *documents, const size_t *document_bytes,
                    uint8_t *out, size_t out_capacity, size_t *compressed_bytes);

// A reusable decoder (one zstd context, one zlib stream), kept across rounds like the
// plugin's pooled contexts.
typedef struct cb_decoder cb_decoder;
cb_decoder *cb_decoder_create(cb_params params);
void cb_decoder_free(cb_decoder *decoder);

// Decompresses the `count` streams laid end to end in `in` (sizes in compressed_bytes) one by
// one into `scratch`, each with its known original size document_bytes[i]; writes each decoded
// size to decoded_bytes[i]. When `check` is non-null, compares each result with check[i]
// (outside the timed path: pass NULL when timing). Returns 0, or -1 on any failure.
int cb_decompress_all(cb_decoder *decoder, size_t count, const uint8_t *in, const size_t *compressed_bytes,
                      const size_t *document_bytes, uint8_t *scratch, size_t scratch_capacity,
                      size_t *decoded_bytes, const uint8_t *const *check);

// The C loop doing what the plugin's decode API must do: each stream arrives as 32-bit
// symbols (the workbench's EncodedDocument form), laid end to end in `symbols`; each is first
// narrowed to bytes in `narrowed` (at least the largest stream's size), then decompressed into
// a newly allocated buffer, which is freed. It tells the cost of the API's shape from the Swift
// plugin's own overhead.
int cb_decompress_symbols_all(cb_decoder *decoder, size_t count, const uint32_t *symbols, const size_t *compressed_bytes,
                              const size_t *document_bytes, uint8_t *narrowed, size_t *decoded_bytes);

// Upper bound of the compressed size of `bytes` input bytes for `params`.
size_t cb_compress_bound(cb_params params, size_t bytes);

#endif
