#include "CodecBaseline.h"

#include <brotli/decode.h>
#include <brotli/encode.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

size_t cb_compress_bound(cb_params params, size_t bytes) {
    switch (params.codec) {
    case CB_ZSTD: return ZSTD_compressBound(bytes);
    case CB_BROTLI: return BrotliEncoderMaxCompressedSize(bytes);
    case CB_GZIP: return compressBound(bytes) + 18 + 64;  // deflate bound + gzip header/trailer
    }
    return 0;
}

// One encoder, its state reused for every document of a loop.
struct cb_encoder {
    cb_params params;
    ZSTD_CCtx *cctx;
    z_stream z;
    gz_header header;
    int z_ready;
};

cb_encoder *cb_encoder_create(cb_params params) {
    cb_encoder *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->params = params;
    e->header.os = 3;  // mtime 0, no name; OS 3 as the plugin writes
    if (params.codec == CB_ZSTD && !(e->cctx = ZSTD_createCCtx())) { cb_encoder_free(e); return NULL; }
    if (params.codec == CB_GZIP) {
        if (deflateInit2(&e->z, params.level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) { free(e); return NULL; }
        e->z_ready = 1;
    }
    return e;
}

void cb_encoder_free(cb_encoder *e) {
    if (!e) return;
    if (e->cctx) ZSTD_freeCCtx(e->cctx);
    if (e->z_ready) deflateEnd(&e->z);
    free(e);
}

long cb_encode_one(cb_encoder *e, const uint8_t *document, size_t bytes, uint8_t *out, size_t capacity) {
    switch (e->params.codec) {
    case CB_ZSTD: {
        size_t n = ZSTD_compressCCtx(e->cctx, out, capacity, document, bytes, e->params.level);
        return ZSTD_isError(n) ? -1 : (long)n;
    }
    case CB_BROTLI: {
        size_t n = capacity;
        return BrotliEncoderCompress(e->params.level, e->params.window, BROTLI_MODE_GENERIC, bytes, document, &n, out)
            ? (long)n : -1;
    }
    case CB_GZIP:
        if (deflateReset(&e->z) != Z_OK || deflateSetHeader(&e->z, &e->header) != Z_OK) return -1;
        e->z.next_in = (Bytef *)document;
        e->z.avail_in = (uInt)bytes;
        e->z.next_out = out;
        e->z.avail_out = (uInt)capacity;
        if (deflate(&e->z, Z_FINISH) != Z_STREAM_END) return -1;
        return (long)(capacity - e->z.avail_out);
    }
    return -1;
}

int cb_compress_all(cb_params params, size_t count, const uint8_t *const *documents, const size_t *document_bytes,
                    uint8_t *out, size_t out_capacity, size_t *compressed_bytes) {
    cb_encoder *e = cb_encoder_create(params);
    if (!e) return -1;
    size_t used = 0;
    int result = 0;
    for (size_t i = 0; i < count; i++) {
        long n = cb_encode_one(e, documents[i], document_bytes[i], out + used, out_capacity - used);
        if (n < 0) { result = -1; break; }
        compressed_bytes[i] = (size_t)n;
        used += (size_t)n;
    }
    cb_encoder_free(e);
    return result;
}

// One decoder, its state reused for every document of every round.
struct cb_decoder {
    cb_params params;
    ZSTD_DCtx *dctx;
    z_stream z;
    int z_ready;
};

cb_decoder *cb_decoder_create(cb_params params) {
    cb_decoder *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->params = params;
    if (params.codec == CB_ZSTD && !(d->dctx = ZSTD_createDCtx())) { free(d); return NULL; }
    if (params.codec == CB_GZIP) {
        if (inflateInit2(&d->z, 15 + 16) != Z_OK) { free(d); return NULL; }
        d->z_ready = 1;
    }
    return d;
}

void cb_decoder_free(cb_decoder *d) {
    if (!d) return;
    if (d->dctx) ZSTD_freeDCtx(d->dctx);
    if (d->z_ready) inflateEnd(&d->z);
    free(d);
}

// Decodes one stream into `out` (capacity `expected`, the known original size); returns the
// decoded size, or -1.
static long decode_one(cb_decoder *d, const uint8_t *in, size_t in_bytes, uint8_t *out, size_t expected) {
    switch (d->params.codec) {
    case CB_ZSTD: {
        size_t n = ZSTD_decompressDCtx(d->dctx, out, expected, in, in_bytes);
        return ZSTD_isError(n) ? -1 : (long)n;
    }
    case CB_BROTLI: {
        size_t n = expected;
        return BrotliDecoderDecompress(in_bytes, in, &n, out) == BROTLI_DECODER_RESULT_SUCCESS ? (long)n : -1;
    }
    case CB_GZIP:
        if (inflateReset(&d->z) != Z_OK) return -1;
        d->z.next_in = (Bytef *)in;
        d->z.avail_in = (uInt)in_bytes;
        d->z.next_out = out;
        d->z.avail_out = (uInt)expected;
        if (inflate(&d->z, Z_FINISH) != Z_STREAM_END) return -1;
        return (long)(expected - d->z.avail_out);
    }
    return -1;
}

int cb_decompress_all(cb_decoder *d, size_t count, const uint8_t *in, const size_t *compressed_bytes,
                      const size_t *document_bytes, uint8_t *scratch, size_t scratch_capacity,
                      size_t *decoded_bytes, const uint8_t *const *check) {
    if (!d) return -1;
    int result = 0;
    for (size_t i = 0; i < count && result == 0; i++) {
        size_t expected = document_bytes[i];
        long n = expected <= scratch_capacity ? decode_one(d, in, compressed_bytes[i], scratch, expected) : -1;
        if (n < 0) { result = -1; break; }
        decoded_bytes[i] = (size_t)n;
        if (check && ((size_t)n != expected || memcmp(scratch, check[i], (size_t)n) != 0)) result = -1;
        in += compressed_bytes[i];
    }
    return result;
}

// `restrict`: without it a uint8_t store may alias the symbols and the loop is not vectorized.
static uint32_t narrow(const uint32_t *restrict symbols, uint8_t *restrict bytes, size_t count) {
    uint32_t combined = 0;
    for (size_t j = 0; j < count; j++) {
        combined |= symbols[j];
        bytes[j] = (uint8_t)symbols[j];
    }
    return combined;
}

int cb_decompress_symbols_all(cb_decoder *d, size_t count, const uint32_t *symbols, const size_t *compressed_bytes,
                              const size_t *document_bytes, uint8_t *narrowed, size_t *decoded_bytes) {
    if (!d) return -1;
    int result = 0;
    for (size_t i = 0; i < count && result == 0; i++) {
        uint32_t combined = narrow(symbols, narrowed, compressed_bytes[i]);
        size_t expected = document_bytes[i];
        // A new buffer per document, as an API that returns the decoded document must give.
        uint8_t *out = malloc(expected ? expected : 1);
        long n = out && combined <= 255 ? decode_one(d, narrowed, compressed_bytes[i], out, expected) : -1;
        free(out);
        if (n < 0) { result = -1; break; }
        decoded_bytes[i] = (size_t)n;
        symbols += compressed_bytes[i];
    }
    return result;
}
