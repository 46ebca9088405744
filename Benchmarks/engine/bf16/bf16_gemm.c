// bf16 GEMM with fp32 accumulation (oneDNN matmul: bf16 inputs, f32 output) against OpenBLAS
// sgemm, on the matrix products of one training step of the width-256 model, in one process,
// alternating the two. Prints one JSON line per shape and a summary line.
//
//   cc -O2 bf16_gemm.c -o bf16_gemm -ldnnl -lopenblas -lm   (see run.sh)
//   OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=2 ./bf16_gemm [threads] [rows] [width] [vocab]
//
// What is timed: the GEMM alone, inputs already in bf16, as a training step would see them if
// weights and activations were kept in bf16. The fp32 -> bf16 conversion of both operands, which
// a mixed-precision step pays unless the previous layer writes bf16, is timed separately
// ("convert"). The fp32 master weights, optimizer and everything else are not part of this.
#include <cblas.h>
#include <math.h>
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(call)                                                                      \
    do {                                                                                 \
        dnnl_status_t s_ = (call);                                                       \
        if (s_ != dnnl_success) {                                                        \
            fprintf(stderr, "bf16_gemm: %s failed (status %d) at line %d\n", #call, (int)s_, __LINE__); \
            exit(1);                                                                     \
        }                                                                                \
    } while (0)

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Round to nearest even, as hardware conversion (vcvtneps2bf16) does; no NaNs here.
static uint16_t to_bf16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    u += 0x7fff + ((u >> 16) & 1);
    return (uint16_t)(u >> 16);
}

// sgemm as the engine calls it (Matmul.sgemm, split-rows strategy): OpenBLAS single-threaded,
// one band of rows of C per thread (of columns when C has few rows), bands aligned to 16.
static void sgemm_split(int threads, int transA, int transB, int m, int n, int k, const float *a, int lda,
                        const float *b, int ldb, float *c, int ldc) {
    enum CBLAS_TRANSPOSE ta = transA ? CblasTrans : CblasNoTrans, tb = transB ? CblasTrans : CblasNoTrans;
    if (threads == 1 || (double)m * n * k < (1 << 21)) {
        cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
        return;
    }
    int byRows = m >= 64 * threads;
#pragma omp parallel for num_threads(threads)
    for (int w = 0; w < threads; w++) {
        int total = byRows ? m : n;
        int lo = (int)((long)total * w / threads) & ~15;
        int hi = w == threads - 1 ? total : (int)((long)total * (w + 1) / threads) & ~15;
        if (lo >= hi) continue;
        if (byRows)
            cblas_sgemm(CblasRowMajor, ta, tb, hi - lo, n, k, 1.0f, transA ? a + lo : a + (size_t)lo * lda, lda, b, ldb,
                        0.0f, c + (size_t)lo * ldc, ldc);
        else
            cblas_sgemm(CblasRowMajor, ta, tb, m, hi - lo, k, 1.0f, a, lda, transB ? b + (size_t)lo * ldb : b + lo, ldb,
                        0.0f, c + lo, ldc);
    }
}

typedef struct {
    const char *name;
    int transA, transB, m, n, k, perStep;
} Shape;

// Times `body` repeatedly for at least `seconds`; returns seconds per call.
#define TIME_CALLS(seconds, body, out)                     \
    do {                                                   \
        int calls_ = 0;                                    \
        double t0_ = now(), el_;                           \
        do {                                               \
            body;                                          \
            calls_++;                                      \
            el_ = now() - t0_;                             \
        } while (el_ < (seconds));                         \
        (out) = el_ / calls_;                              \
    } while (0)

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    int rows = argc > 2 ? atoi(argv[2]) : 4096;  // batch 8 x context 512
    int c = argc > 3 ? atoi(argv[3]) : 256;
    int v = argc > 4 ? atoi(argv[4]) : 320;
    int rounds = 3;
    int h = 4 * c, layers = 4;
    if (threads < 1 || rows < 1 || c < 1 || v < 1) {
        fprintf(stderr, "usage: bf16_gemm [threads] [rows] [width] [vocab]\n");
        return 64;
    }
    omp_set_num_threads(threads);
    openblas_set_num_threads(1);  // threads come from sgemm_split, as in the engine

    // The products of linearForward / linearBackward (Sources/NeuralEngine/Layers.swift), as
    // row-major C (m, n) = op(A) (m, k) op(B) (k, n).
    struct { const char *name; int in, out, count; } linears[] = {
        {"qkv", c, 3 * c, layers}, {"attention out", c, c, layers}, {"mlp up", c, h, layers},
        {"mlp down", h, c, layers}, {"head", c, v, 1},
    };
    Shape shapes[15];
    int ns = 0;
    for (int i = 0; i < 5; i++) {
        char *f = malloc(64), *d = malloc(64), *w = malloc(64);
        snprintf(f, 64, "%s forward", linears[i].name);
        snprintf(d, 64, "%s input gradient", linears[i].name);
        snprintf(w, 64, "%s weight gradient", linears[i].name);
        shapes[ns++] = (Shape){f, 0, 1, rows, linears[i].out, linears[i].in, linears[i].count};
        shapes[ns++] = (Shape){d, 0, 0, rows, linears[i].in, linears[i].out, linears[i].count};
        shapes[ns++] = (Shape){w, 1, 0, linears[i].out, linears[i].in, rows, linears[i].count};
    }

    dnnl_engine_t engine;
    dnnl_stream_t stream;
    CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));

    double sgemmStep = 0, bf16Step = 0, convertStep = 0, flopsStep = 0, packedStep = 0;
    char impl0[128] = "";
    for (int s = 0; s < ns; s++) {
        Shape sh = shapes[s];
        size_t na = (size_t)sh.m * sh.k, nb = (size_t)sh.k * sh.n, nc = (size_t)sh.m * sh.n;
        float *a = malloc(na * 4), *b = malloc(nb * 4), *c32 = malloc(nc * 4), *cb = NULL;
        uint16_t *a16, *b16;
        srand(7);
        for (size_t i = 0; i < na; i++) a[i] = (float)rand() / RAND_MAX - 0.5f;
        for (size_t i = 0; i < nb; i++) b[i] = (float)rand() / RAND_MAX - 0.5f;
        int lda = sh.transA ? sh.m : sh.k, ldb = sh.transB ? sh.k : sh.n;

        // oneDNN memory: A (m, k) and B (k, n) described by strides, so a transposed operand is
        // read in place, as cblas reads it.
        dnnl_memory_desc_t amd, bmd, cmd, a32md, b32md;
        dnnl_dims_t adims = {sh.m, sh.k}, bdims = {sh.k, sh.n}, cdims = {sh.m, sh.n};
        dnnl_dims_t astr = {sh.transA ? 1 : sh.k, sh.transA ? sh.m : 1};
        dnnl_dims_t bstr = {sh.transB ? 1 : sh.n, sh.transB ? sh.k : 1};
        dnnl_dims_t cstr = {sh.n, 1};
        CHECK(dnnl_memory_desc_init_by_strides(&amd, 2, adims, dnnl_bf16, astr));
        CHECK(dnnl_memory_desc_init_by_strides(&bmd, 2, bdims, dnnl_bf16, bstr));
        CHECK(dnnl_memory_desc_init_by_strides(&a32md, 2, adims, dnnl_f32, astr));
        CHECK(dnnl_memory_desc_init_by_strides(&b32md, 2, bdims, dnnl_f32, bstr));
        CHECK(dnnl_memory_desc_init_by_strides(&cmd, 2, cdims, dnnl_f32, cstr));
        dnnl_matmul_desc_t mmd;
        CHECK(dnnl_matmul_desc_init(&mmd, &amd, &bmd, NULL, &cmd));
        dnnl_primitive_desc_t pd;
        CHECK(dnnl_primitive_desc_create(&pd, &mmd, NULL, engine, NULL));
        const char *impl = "?";
        CHECK(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &impl));
        if (!impl0[0]) snprintf(impl0, sizeof impl0, "%s", impl);
        dnnl_primitive_t mm;
        CHECK(dnnl_primitive_create(&mm, pd));
        // oneDNN's own fp32 matmul: tells a faster bf16 kernel from a faster library.
        dnnl_matmul_desc_t fmd;
        CHECK(dnnl_matmul_desc_init(&fmd, &a32md, &b32md, NULL, &cmd));
        dnnl_primitive_desc_t fpd;
        CHECK(dnnl_primitive_desc_create(&fpd, &fmd, NULL, engine, NULL));
        const char *fimpl = "?";
        CHECK(dnnl_primitive_desc_query(fpd, dnnl_query_impl_info_str, 0, &fimpl));
        dnnl_primitive_t fm;
        CHECK(dnnl_primitive_create(&fm, fpd));
        // bf16 with B (the weights operand) in the layout the kernel prefers (format `any`),
        // packed once outside the timing: the kernel's best case, as for weights kept packed.
        dnnl_memory_desc_t banymd;
        CHECK(dnnl_memory_desc_init_by_tag(&banymd, 2, bdims, dnnl_bf16, dnnl_format_tag_any));
        dnnl_matmul_desc_t pmd;
        CHECK(dnnl_matmul_desc_init(&pmd, &amd, &banymd, NULL, &cmd));
        dnnl_primitive_desc_t ppd;
        CHECK(dnnl_primitive_desc_create(&ppd, &pmd, NULL, engine, NULL));
        dnnl_primitive_t pm;
        CHECK(dnnl_primitive_create(&pm, ppd));
        dnnl_memory_t bpm;
        CHECK(dnnl_memory_create(&bpm, dnnl_primitive_desc_query_md(ppd, dnnl_query_weights_md, 0), engine,
                                 DNNL_MEMORY_ALLOCATE));
        dnnl_memory_t am, bm, cm, a32m, b32m;
        CHECK(dnnl_memory_create(&am, &amd, engine, DNNL_MEMORY_ALLOCATE));
        CHECK(dnnl_memory_create(&bm, &bmd, engine, DNNL_MEMORY_ALLOCATE));
        CHECK(dnnl_memory_create(&cm, &cmd, engine, DNNL_MEMORY_ALLOCATE));
        CHECK(dnnl_memory_create(&a32m, &a32md, engine, a));
        CHECK(dnnl_memory_create(&b32m, &b32md, engine, b));
        CHECK(dnnl_memory_get_data_handle(am, (void **)&a16));
        CHECK(dnnl_memory_get_data_handle(bm, (void **)&b16));
        CHECK(dnnl_memory_get_data_handle(cm, (void **)&cb));
        for (size_t i = 0; i < na; i++) a16[i] = to_bf16(a[i]);
        for (size_t i = 0; i < nb; i++) b16[i] = to_bf16(b[i]);

        // fp32 -> bf16 conversion of both operands through oneDNN reorders (its vectorized path).
        dnnl_primitive_desc_t rapd, rbpd;
        dnnl_primitive_t ra, rb;
        CHECK(dnnl_reorder_primitive_desc_create(&rapd, &a32md, engine, &amd, engine, NULL));
        CHECK(dnnl_reorder_primitive_desc_create(&rbpd, &b32md, engine, &bmd, engine, NULL));
        CHECK(dnnl_primitive_create(&ra, rapd));
        CHECK(dnnl_primitive_create(&rb, rbpd));

        dnnl_exec_arg_t args[3] = {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}};
        dnnl_exec_arg_t fargs[3] = {{DNNL_ARG_SRC, a32m}, {DNNL_ARG_WEIGHTS, b32m}, {DNNL_ARG_DST, cm}};
        dnnl_exec_arg_t raargs[2] = {{DNNL_ARG_FROM, a32m}, {DNNL_ARG_TO, am}};
        dnnl_exec_arg_t rbargs[2] = {{DNNL_ARG_FROM, b32m}, {DNNL_ARG_TO, bm}};
#define SGEMM() sgemm_split(threads, sh.transA, sh.transB, sh.m, sh.n, sh.k, a, lda, b, ldb, c32, sh.n)
#define BF16() do { CHECK(dnnl_primitive_execute(mm, stream, 3, args)); CHECK(dnnl_stream_wait(stream)); } while (0)
#define F32() do { CHECK(dnnl_primitive_execute(fm, stream, 3, fargs)); CHECK(dnnl_stream_wait(stream)); } while (0)
#define CONVERT() do { CHECK(dnnl_primitive_execute(ra, stream, 2, raargs)); \
                       CHECK(dnnl_primitive_execute(rb, stream, 2, rbargs)); CHECK(dnnl_stream_wait(stream)); } while (0)
        SGEMM();
        F32();
        CONVERT();
        BF16();
        {  // pack B once
            dnnl_primitive_desc_t rpd;
            dnnl_primitive_t rp;
            CHECK(dnnl_reorder_primitive_desc_create(&rpd, &bmd, engine, dnnl_primitive_desc_query_md(ppd, dnnl_query_weights_md, 0),
                                                     engine, NULL));
            CHECK(dnnl_primitive_create(&rp, rpd));
            dnnl_exec_arg_t rargs[2] = {{DNNL_ARG_FROM, bm}, {DNNL_ARG_TO, bpm}};
            CHECK(dnnl_primitive_execute(rp, stream, 2, rargs));
            CHECK(dnnl_stream_wait(stream));
            dnnl_primitive_destroy(rp);
            dnnl_primitive_desc_destroy(rpd);
        }
        dnnl_exec_arg_t pargs[3] = {{DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bpm}, {DNNL_ARG_DST, cm}};
#define PACKED() do { CHECK(dnnl_primitive_execute(pm, stream, 3, pargs)); CHECK(dnnl_stream_wait(stream)); } while (0)
        PACKED();
        // Accuracy of bf16 inputs against the fp32 product, relative to the largest |C|.
        double maxErr = 0, maxC = 0;
        for (size_t i = 0; i < nc; i++) {
            maxErr = fmax(maxErr, fabs((double)cb[i] - c32[i]));
            maxC = fmax(maxC, fabs(c32[i]));
        }
        double bestS = 1e30, bestB = 1e30, bestC = 1e30, bestF = 1e30, bestP = 1e30, t;
        for (int r = 0; r < rounds; r++) {  // alternate, keep each side's best round
            TIME_CALLS(0.15, SGEMM(), t); if (t < bestS) bestS = t;
            TIME_CALLS(0.15, BF16(), t); if (t < bestB) bestB = t;
            TIME_CALLS(0.05, CONVERT(), t); if (t < bestC) bestC = t;
            TIME_CALLS(0.15, F32(), t); if (t < bestF) bestF = t;
            TIME_CALLS(0.15, PACKED(), t); if (t < bestP) bestP = t;
        }
        double flops = 2.0 * sh.m * sh.n * sh.k;
        printf("{\"shape\": \"%s\", \"trans\": \"%c%c\", \"m\": %d, \"n\": %d, \"k\": %d, \"sgemm_gflops\": %.1f, "
               "\"bf16_gflops\": %.1f, \"bf16_with_convert_gflops\": %.1f, \"speedup\": %.2f, "
               "\"max_relative_error\": %.2e, \"onednn_impl\": \"%s\", \"onednn_f32_gflops\": %.1f, \"onednn_f32_impl\": \"%s\", "
               "\"bf16_packed_gflops\": %.1f}\n",
               sh.name, sh.transA ? 'T' : 'N', sh.transB ? 'T' : 'N', sh.m, sh.n, sh.k, flops / bestS / 1e9,
               flops / bestB / 1e9, flops / (bestB + bestC) / 1e9, bestS / bestB, maxErr / maxC, impl,
               flops / bestF / 1e9, fimpl, flops / bestP / 1e9);
        sgemmStep += sh.perStep * bestS;
        bf16Step += sh.perStep * bestB;
        packedStep += sh.perStep * bestP;
        convertStep += sh.perStep * bestC;
        flopsStep += sh.perStep * flops;
        dnnl_primitive_destroy(fm); dnnl_primitive_desc_destroy(fpd);
        dnnl_primitive_destroy(pm); dnnl_primitive_desc_destroy(ppd); dnnl_memory_destroy(bpm);
        dnnl_primitive_destroy(mm); dnnl_primitive_destroy(ra); dnnl_primitive_destroy(rb);
        dnnl_primitive_desc_destroy(pd); dnnl_primitive_desc_destroy(rapd); dnnl_primitive_desc_destroy(rbpd);
        dnnl_memory_destroy(am); dnnl_memory_destroy(bm); dnnl_memory_destroy(cm);
        dnnl_memory_destroy(a32m); dnnl_memory_destroy(b32m);
        free(a); free(b); free(c32);
    }
    const dnnl_version_t *ver = dnnl_version();
    printf("{\"summary\": true, \"openblas_core\": \"%s\", \"onednn\": \"%d.%d.%d\", \"onednn_isa\": %d, "
           "\"threads\": %d, \"rows\": %d, \"width\": %d, \"vocab\": %d, \"step_sgemm_gflops\": %.1f, "
           "\"step_bf16_gflops\": %.1f, \"step_bf16_with_convert_gflops\": %.1f, \"step_speedup\": %.2f, "
           "\"step_speedup_with_convert\": %.2f, \"step_bf16_packed_gflops\": %.1f, \"step_speedup_packed\": %.2f, "
           "\"first_impl\": \"%s\"}\n",
           openblas_get_corename(), ver->major, ver->minor, ver->patch, (int)dnnl_get_effective_cpu_isa(), threads, rows, c, v,
           flopsStep / sgemmStep / 1e9, flopsStep / bf16Step / 1e9, flopsStep / (bf16Step + convertStep) / 1e9,
           sgemmStep / bf16Step, sgemmStep / (bf16Step + convertStep), flopsStep / packedStep / 1e9, sgemmStep / packedStep,
           impl0);
    dnnl_stream_destroy(stream);
    dnnl_engine_destroy(engine);
    return 0;
}
