/* A fake librkllmrt.so for tests: the real exported symbols and struct layouts (rkllm_abi.h, one ABI per build),
 * input checks and init log lines like the real runtime's, tokens streamed through the callback at a set rate,
 * a slow abort, perf figures, and faults on command. It stands where the NPU would; nothing else is faked.
 *
 * Model file: a text header our tests write, padded (sparse) to a plausible size:
 *   FAKE-RKLLM v1
 *   target_platform=RK3588  model_dtype=W8A8  max_context_limit=4096  npu_core_num=3  toolkit_version=1.2.3
 *   crash_at_init=1 (optional: the file crashes the loader, SIGSEGV inside rkllm_init)
 * Control, by environment: FAKE_RKLLM_VERSION, FAKE_RKLLM_DRIVER, FAKE_RKLLM_PLATFORM, FAKE_RKLLM_TOKENS_PER_SECOND,
 *   FAKE_RKLLM_PREFILL_MS, FAKE_RKLLM_ABORT_DELAY_MS, FAKE_RKLLM_EOS_AFTER, FAKE_RKLLM_INIT_FAIL (a log line to print
 *   before failing init), FAKE_RKLLM_INIT_DELAY_MS (a slow load),
 *   FAKE_RKLLM_VERSION_AT_LOAD (no version line before a model file opened), FAKE_RKLLM_FAULT + FAKE_RKLLM_FAULT_AFTER.
 * Control, by prompt text: [[crash:N]] (SIGSEGV), [[abort:N]] (abort()), [[hang:N]] (never returns, ignores abort),
 *   [[error:N]] (RKLLM_RUN_ERROR), [[utf8]] (a character split across callbacks with RKLLM_RUN_WAITING), [[eos:N]] (the
 *   model ends its sequence after N tokens), [[echo]] (the one token is the prompt exactly as the runtime received it),
 *   [[utf8split]] (a character's bytes split across two RKLLM_RUN_NORMAL callbacks, as some runtimes deliver them),
 *   [[recall:WORD]] (whether WORD is in the conversation the runtime holds: its KV history with keep_history=1, which
 *   rkllm_clear_kv_cache empties, and this input). */
#define _GNU_SOURCE
#include "rkllm_abi.h"
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define EXPORT __attribute__((visibility("default")))

#if RKLLM_ABI >= 130
#define DEFAULT_VERSION "1.3.0"
#else
#define DEFAULT_VERSION "1.2.3"
#endif

/* The version as a string literal in the binary, as the real library carries its own. */
__attribute__((used)) static const char runtime_version_literal[] = "rkllm-runtime-version=" DEFAULT_VERSION;

typedef struct {
    char model_path[4096];
    char target_platform[32];
    char model_dtype[32];
    int max_context_limit;
    int npu_core_num;
    int crash_at_init;
    RKLLMParam param;
    LLMResultCallback callback;
    void* callback_userdata;
    atomic_int running;
    atomic_int abort_requested;
    /* The KV history (keep_history=1): the text of every input and output it holds, and their token count. */
    char* history;
    size_t history_length;
    int history_tokens;
    /* What the runtime said in the current run, kept for its history. */
    char said[8192];
    size_t said_length;
} FakeHandle;

static void history_clear(FakeHandle* h) {
    free(h->history);
    h->history = NULL;
    h->history_length = 0;
    h->history_tokens = 0;
}

static void history_append(FakeHandle* h, const char* text) {
    size_t length = strlen(text);
    h->history = realloc(h->history, h->history_length + length + 2);
    memcpy(h->history + h->history_length, text, length);
    h->history_length += length;
    h->history[h->history_length++] = '\n';
    h->history[h->history_length] = 0;
}

static const char* env_or(const char* name, const char* fallback) {
    const char* value = getenv(name);
    return value && *value ? value : fallback;
}

static int env_int(const char* name, int fallback) { return atoi(env_or(name, "")) ?: fallback; }

static void sleep_ms(double ms) {
    if (ms <= 0) return;
    struct timespec ts = { (time_t)(ms / 1000), (long)((ms - (time_t)(ms / 1000) * 1000) * 1e6) };
    nanosleep(&ts, NULL);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void log_info(const char* format, const char* a, const char* b, const char* c) {
    printf(format, a, b, c);
    fflush(stdout);
}

static void log_error(const char* line) {
    fprintf(stderr, "%s\n", line);
    fflush(stderr);
}

static int read_model_header(FakeHandle* h) {
    FILE* file = fopen(h->model_path, "r");
    if (!file) return -2;
    char line[256];
    if (!fgets(line, sizeof line, file) || strncmp(line, "FAKE-RKLLM v1", 13) != 0) { fclose(file); return -1; }
    strcpy(h->target_platform, "RK3588");
    strcpy(h->model_dtype, "W8A8");
    h->max_context_limit = 4096;
    h->npu_core_num = 3;
    while (fgets(line, sizeof line, file) && line[0] != '\0' && line[0] != '\n') {
        line[strcspn(line, "\n")] = 0;
        if (!strncmp(line, "target_platform=", 16)) snprintf(h->target_platform, sizeof h->target_platform, "%.31s", line + 16);
        else if (!strncmp(line, "model_dtype=", 12)) snprintf(h->model_dtype, sizeof h->model_dtype, "%.31s", line + 12);
        else if (!strncmp(line, "max_context_limit=", 18)) h->max_context_limit = atoi(line + 18);
        else if (!strncmp(line, "npu_core_num=", 13)) h->npu_core_num = atoi(line + 13);
        else if (!strncmp(line, "crash_at_init=", 14)) h->crash_at_init = atoi(line + 14);
    }
    fclose(file);
    return 0;
}

EXPORT RKLLMParam rkllm_createDefaultParam(void) {
    RKLLMParam p;
    memset(&p, 0, sizeof p);
    p.max_context_len = 512;
    p.max_new_tokens = -1;
    p.top_k = 40;
    p.n_keep = -1;
    p.top_p = 0.9f;
    p.temperature = 0.8f;
    p.repeat_penalty = 1.1f;
    p.mirostat_tau = 5.0f;
    p.mirostat_eta = 0.1f;
    p.skip_special_token = true;
    p.extend_param.embed_flash = 1;
    p.extend_param.enabled_cpus_num = 4;
    p.extend_param.enabled_cpus_mask = 0xF0;
    p.extend_param.n_batch = 1;
    return p;
}

#if RKLLM_ABI >= 130
EXPORT int rkllm_init(LLMHandle* handle, RKLLMParam* param, RKLLMCallback* callback) {
    LLMResultCallback result_callback = callback ? callback->result_callback : NULL;
    void* result_userdata = callback ? callback->result_userdata : NULL;
#else
EXPORT int rkllm_init(LLMHandle* handle, RKLLMParam* param, LLMResultCallback result_callback) {
    void* result_userdata = NULL;
#endif
    const char* version = env_or("FAKE_RKLLM_VERSION", DEFAULT_VERSION);
    const char* driver = env_or("FAKE_RKLLM_DRIVER", "0.9.8");
    /* Arguments are checked before anything is printed, as a runtime may: a NULL param says nothing at all. */
    if (!handle || !param || !result_callback) return -1;
    /* FAKE_RKLLM_VERSION_AT_LOAD: the version line only once a model file opened (a runtime the probe must load for). */
    int version_at_load = getenv("FAKE_RKLLM_VERSION_AT_LOAD") != NULL;
    if (!version_at_load)
        log_info("I rkllm: rkllm-runtime version: %s, rknpu driver version: %s, platform: %s\n", version, driver, env_or("FAKE_RKLLM_PLATFORM", "RK3588"));
    if (strcmp(driver, "0.9.7") < 0) log_info("W rkllm: Warning: Your rknpu driver version is too low, please upgrade to 0.9.7.%s%s%s\n", "", "", "");
    if (getenv("FAKE_RKLLM_INIT_FAIL")) { log_error(getenv("FAKE_RKLLM_INIT_FAIL")); log_error("E rkllm: rkllm init failed"); return -1; }
    sleep_ms(env_int("FAKE_RKLLM_INIT_DELAY_MS", 0));
    if (!param->model_path) { log_error("E rkllm: model_path is NULL"); return -1; }

    FakeHandle* h = calloc(1, sizeof *h);
    snprintf(h->model_path, sizeof h->model_path, "%s", param->model_path);
    log_info("I rkllm: loading rkllm model from %s%s%s\n", h->model_path, "", "");
    int header = read_model_header(h);
    if (header == -2) { log_error("E rkllm: failed to open rkllm model file!"); free(h); return -1; }
    if (header == -1) { log_error("E rkllm: invalid rkllm model!"); free(h); return -1; }
    if (version_at_load)
        log_info("I rkllm: rkllm-runtime version: %s, rknpu driver version: %s, platform: %s\n", version, driver, env_or("FAKE_RKLLM_PLATFORM", "RK3588"));
    char limit[32], cores[32];
    snprintf(limit, sizeof limit, "%d", h->max_context_limit);
    snprintf(cores, sizeof cores, "%d", h->npu_core_num);
    printf("I rkllm: rkllm-toolkit version: %s, max_context_limit: %s, npu_core_num: %s, target_platform: %s, model_dtype: %s\n",
           version, limit, cores, h->target_platform, h->model_dtype);
    fflush(stdout);
    if (h->crash_at_init) { volatile int* nowhere = NULL; *nowhere = 42; }
    if (param->max_context_len > h->max_context_limit) {
        fprintf(stderr, "E rkllm: max_context[%d] must be less than the model's max_context_limit[%d]\n", param->max_context_len, h->max_context_limit);
        fflush(stderr);
        free(h);
        return -1;
    }
    if (param->max_context_len <= 0 || param->top_k < 0 || param->top_p <= 0 || param->top_p > 1 || param->temperature < 0) {
        log_error("E rkllm: invalid sampling or context parameters");
        free(h);
        return -1;
    }
    if (param->extend_param.enabled_cpus_num < h->npu_core_num) {
        log_error("E rkllm: The number of enabled CPUs must be greater than or equal to the number of NPU cores.");
        free(h);
        return -1;
    }
    if (strcmp(h->target_platform, env_or("FAKE_RKLLM_PLATFORM", "RK3588")) != 0) {
        /* The wording is the runtime's own and not stable across versions; FAKE_RKLLM_TARGET_ERROR changes it. */
        log_error(env_or("FAKE_RKLLM_TARGET_ERROR", "E rkllm: the model's target_platform does not match this platform"));
        free(h);
        return -1;
    }
    printf("I rkllm: Enabled cpus num: %d\n", param->extend_param.enabled_cpus_num);
    fflush(stdout);
    h->param = *param;
    h->callback = result_callback;
    h->callback_userdata = result_userdata;
    *handle = h;
    return 0;
}

EXPORT int rkllm_destroy(LLMHandle handle) {
    if (!handle) return -1;
    history_clear(handle);
    free(handle);
    return 0;
}

EXPORT int rkllm_abort(LLMHandle handle) {
    if (!handle) return -1;
    atomic_store(&((FakeHandle*)handle)->abort_requested, 1);
    return 0;
}

EXPORT int rkllm_is_running(LLMHandle handle) {
    if (!handle) return -1;
    return atomic_load(&((FakeHandle*)handle)->running) ? 1 : 0;
}

#if RKLLM_ABI >= 130
EXPORT int rkllm_clear_kv_cache(LLMHandle handle, int keep_system_prompt, int* start_pos, int* end_pos) {
    (void)keep_system_prompt; (void)start_pos; (void)end_pos;
#else
EXPORT int rkllm_clear_kv_cache(LLMHandle handle, int keep_system_prompt, int* start_pos, int* end_pos) {
    (void)keep_system_prompt; (void)start_pos; (void)end_pos;
#endif
    if (!handle) return -1;
    history_clear(handle);
    return 0;
}

/* Finds "[[name]]" or "[[name:N]]" in the prompt; returns 1 and sets *after to N (default 2). */
static int directive(const char* prompt, const char* name, int* after) {
    char open[64];
    snprintf(open, sizeof open, "[[%s", name);
    const char* at = strstr(prompt, open);
    if (!at) return 0;
    at += strlen(open);
    *after = *at == ':' ? atoi(at + 1) : 2;
    return 1;
}

static int deliver(FakeHandle* h, void* userdata, RKLLMResult* result, LLMCallState state) {
    if (state == RKLLM_RUN_NORMAL && result->text) {
        size_t length = strlen(result->text);
        if (h->said_length + length < sizeof h->said) {
            memcpy(h->said + h->said_length, result->text, length);
            h->said_length += length;
            h->said[h->said_length] = 0;
        }
    }
    return h->callback(result, userdata, state);
}

/* Finds "[[recall:WORD]]": the one token says whether WORD is in the conversation the runtime holds (its history
 * and this input, the directive aside): "recalled:WORD", or "forgotten:WORD" for a request that relies on history
 * this runtime does not have. */
static int recall(const char* prompt, const char* history, char* answer, size_t size) {
    const char* at = strstr(prompt, "[[recall:");
    if (!at) return 0;
    at += strlen("[[recall:");
    const char* end = strstr(at, "]]");
    if (!end || end - at >= 64) return 0;
    char word[64];
    memcpy(word, at, (size_t)(end - at));
    word[end - at] = 0;
    int in_input = 0;
    for (const char* p = strstr(prompt, word); p; p = strstr(p + 1, word)) in_input++;
    int known = in_input > 1 || (history && strstr(history, word));
    snprintf(answer, size, "%s:%s", known ? "recalled" : "forgotten", word);
    return 1;
}

/* The end of a run: with keep_history the input and what was said stay in the KV cache for the next run. */
static void run_ended(FakeHandle* h, RKLLMInferParam* infer, const char* prompt, int prompt_tokens, int generated) {
    if (infer->keep_history) {
        history_append(h, prompt);
        history_append(h, h->said);
        h->history_tokens += prompt_tokens + generated;
    } else {
        history_clear(h);
    }
    atomic_store(&h->running, 0);
}

EXPORT int rkllm_run(LLMHandle handle, RKLLMInput* input, RKLLMInferParam* infer, void* userdata) {
    FakeHandle* h = handle;
    if (!h) return -1;
    if (!input || !infer || input->input_type != RKLLM_INPUT_PROMPT || !input->prompt_input) {
        log_error("E rkllm: only prompt input is supported by this runtime build");
        return -1;
    }
    if (!userdata) userdata = h->callback_userdata;
    atomic_store(&h->running, 1);
    atomic_store(&h->abort_requested, 0);
    const char* prompt = input->prompt_input;
    if (!infer->keep_history) history_clear(h); /* without it a run starts from nothing */
    h->said_length = 0;
    h->said[0] = 0;
    char recalled[160];
    int recalling = recall(prompt, h->history, recalled, sizeof recalled);

    int max_tokens = h->param.max_new_tokens;
#if RKLLM_ABI >= 130
    if (infer->max_new_tokens > 0) max_tokens = infer->max_new_tokens;
#endif
    int eos_after = env_int("FAKE_RKLLM_EOS_AFTER", 48);
    if (max_tokens <= 0 || max_tokens > eos_after) max_tokens = eos_after;
    double rate = env_int("FAKE_RKLLM_TOKENS_PER_SECOND", 100);
    int fault_after = env_int("FAKE_RKLLM_FAULT_AFTER", 2);
    const char* fault = env_or("FAKE_RKLLM_FAULT", "");
    int crash = 0, hang = 0, do_abort = 0, error = 0, utf8 = 0, utf8split = 0, echo = 0, n;
    if (directive(prompt, "crash", &n)) { crash = 1; fault_after = n; }
    if (directive(prompt, "hang", &n)) { hang = 1; fault_after = n; }
    if (directive(prompt, "abort", &n)) { do_abort = 1; fault_after = n; }
    if (directive(prompt, "error", &n)) { error = 1; fault_after = n; }
    if (directive(prompt, "utf8split", &n)) utf8split = 1;
    else if (directive(prompt, "utf8", &n)) utf8 = 1;
    if (directive(prompt, "echo", &n)) { echo = 1; max_tokens = 1; }
    if (recalling) max_tokens = 1;
    if (directive(prompt, "eos", &n) && n < max_tokens) max_tokens = n; /* the model ends its sequence after n tokens */
    crash |= !strcmp(fault, "crash"); hang |= !strcmp(fault, "hang"); do_abort |= !strcmp(fault, "abort"); error |= !strcmp(fault, "error");

    RKLLMResult result;
    double started = now_ms();
    sleep_ms(env_int("FAKE_RKLLM_PREFILL_MS", 20));
    double prefill_ms = now_ms() - started;
    /* The runtime's own count (its tokenizer), not the daemon's 4-bytes-a-token estimate. */
    int prompt_tokens = (int)strlen(prompt) / 3 + 2;
    if (h->history_tokens + prompt_tokens > h->param.max_context_len) {
        log_error("E rkllm: the KV cache is full: clear it or lower the input");
        memset(&result, 0, sizeof result);
        deliver(h, userdata, &result, RKLLM_RUN_ERROR);
        atomic_store(&h->running, 0);
        return -1;
    }
    double decode_started = now_ms();
    char text[64];
    int generated = 0;
    for (; generated < max_tokens; generated++) {
        if (atomic_load(&h->abort_requested)) {
            sleep_ms(env_int("FAKE_RKLLM_ABORT_DELAY_MS", 0));
            run_ended(h, infer, prompt, prompt_tokens, generated);
            return 0;
        }
        if (generated == fault_after) {
            if (crash) { volatile int* nowhere = NULL; *nowhere = 42; }
            if (do_abort) abort();
            if (hang) { for (;;) pause(); }
            if (error) {
                memset(&result, 0, sizeof result);
                deliver(h, userdata, &result, RKLLM_RUN_ERROR);
                log_error("E rkllm: matmul(w8a8) run failed");
                atomic_store(&h->running, 0);
                return -1;
            }
        }
        sleep_ms(1000.0 / rate);
        memset(&result, 0, sizeof result);
        result.token_id = 1000 + generated;
        if (utf8 && generated == 1) {
            /* "€" is E2 82 AC: first an incomplete sequence (WAITING), then the whole character. */
            static const char partial[] = { (char)0xE2, (char)0x82, 0 };
            result.text = partial;
            if (deliver(h, userdata, &result, RKLLM_RUN_WAITING) == 1) break;
            result.text = "\xE2\x82\xAC";
        } else if (utf8split && generated == 1) {
            /* "€" (E2 82 AC) as two NORMAL results: the first ends inside the character. */
            static const char head[] = { (char)0xE2, (char)0x82, 0 };
            result.text = head;
            if (deliver(h, userdata, &result, RKLLM_RUN_NORMAL) == 1) { generated++; atomic_store(&h->running, 0); return 0; }
            generated++;
            if (generated >= max_tokens) break;
            result.token_id = 1000 + generated;
            result.text = "\xAC";
        } else if (echo) {
            result.text = prompt;
        } else if (recalling) {
            result.text = recalled;
        } else {
            snprintf(text, sizeof text, generated == 0 ? "tok%d" : " tok%d", generated);
            result.text = text;
        }
        if (deliver(h, userdata, &result, RKLLM_RUN_NORMAL) == 1) { generated++; run_ended(h, infer, prompt, prompt_tokens, generated); return 0; }
    }
    memset(&result, 0, sizeof result);
    result.token_id = -1;
    result.perf.prefill_time_ms = (float)prefill_ms;
    result.perf.prefill_tokens = prompt_tokens;
    result.perf.generate_time_ms = (float)(now_ms() - decode_started);
    result.perf.generate_tokens = generated;
    result.perf.memory_usage_mb = 512.0f;
    deliver(h, userdata, &result, RKLLM_RUN_FINISH);
    run_ended(h, infer, prompt, prompt_tokens, generated);
    return 0;
}

/* Test-only export: the C compiler's sizeof/offsetof for this ABI, so the C# layouts can be proven equal. */
#define ENTRY(key, value) if (!strcmp(name, key)) return (long)(value);
EXPORT long fake_rkllm_layout(const char* name) {
    ENTRY("sizeof RKLLMParam", sizeof(RKLLMParam))
    ENTRY("sizeof RKLLMExtendParam", sizeof(RKLLMExtendParam))
    ENTRY("sizeof RKLLMInput", sizeof(RKLLMInput))
    ENTRY("sizeof RKLLMInferParam", sizeof(RKLLMInferParam))
    ENTRY("sizeof RKLLMResult", sizeof(RKLLMResult))
    ENTRY("sizeof RKLLMPerfStat", sizeof(RKLLMPerfStat))
    ENTRY("RKLLMParam.model_path", offsetof(RKLLMParam, model_path))
    ENTRY("RKLLMParam.max_context_len", offsetof(RKLLMParam, max_context_len))
    ENTRY("RKLLMParam.max_new_tokens", offsetof(RKLLMParam, max_new_tokens))
    ENTRY("RKLLMParam.top_k", offsetof(RKLLMParam, top_k))
    ENTRY("RKLLMParam.n_keep", offsetof(RKLLMParam, n_keep))
    ENTRY("RKLLMParam.top_p", offsetof(RKLLMParam, top_p))
    ENTRY("RKLLMParam.temperature", offsetof(RKLLMParam, temperature))
    ENTRY("RKLLMParam.repeat_penalty", offsetof(RKLLMParam, repeat_penalty))
    ENTRY("RKLLMParam.frequency_penalty", offsetof(RKLLMParam, frequency_penalty))
    ENTRY("RKLLMParam.presence_penalty", offsetof(RKLLMParam, presence_penalty))
    ENTRY("RKLLMParam.mirostat", offsetof(RKLLMParam, mirostat))
    ENTRY("RKLLMParam.skip_special_token", offsetof(RKLLMParam, skip_special_token))
    ENTRY("RKLLMParam.is_async", offsetof(RKLLMParam, is_async))
    ENTRY("RKLLMParam.extend_param", offsetof(RKLLMParam, extend_param))
    ENTRY("RKLLMExtendParam.base_domain_id", offsetof(RKLLMExtendParam, base_domain_id))
    ENTRY("RKLLMExtendParam.embed_flash", offsetof(RKLLMExtendParam, embed_flash))
    ENTRY("RKLLMExtendParam.enabled_cpus_num", offsetof(RKLLMExtendParam, enabled_cpus_num))
    ENTRY("RKLLMExtendParam.enabled_cpus_mask", offsetof(RKLLMExtendParam, enabled_cpus_mask))
    ENTRY("RKLLMExtendParam.n_batch", offsetof(RKLLMExtendParam, n_batch))
    ENTRY("RKLLMInput.role", offsetof(RKLLMInput, role))
    ENTRY("RKLLMInput.enable_thinking", offsetof(RKLLMInput, enable_thinking))
    ENTRY("RKLLMInput.input_type", offsetof(RKLLMInput, input_type))
    ENTRY("RKLLMInput.prompt_input", offsetof(RKLLMInput, prompt_input))
    ENTRY("RKLLMInferParam.mode", offsetof(RKLLMInferParam, mode))
    ENTRY("RKLLMInferParam.lora_params", offsetof(RKLLMInferParam, lora_params))
    ENTRY("RKLLMInferParam.prompt_cache_params", offsetof(RKLLMInferParam, prompt_cache_params))
    ENTRY("RKLLMInferParam.keep_history", offsetof(RKLLMInferParam, keep_history))
    ENTRY("RKLLMResult.text", offsetof(RKLLMResult, text))
    ENTRY("RKLLMResult.token_id", offsetof(RKLLMResult, token_id))
    ENTRY("RKLLMResult.perf", offsetof(RKLLMResult, perf))
    ENTRY("RKLLMPerfStat.prefill_time_ms", offsetof(RKLLMPerfStat, prefill_time_ms))
    ENTRY("RKLLMPerfStat.prefill_tokens", offsetof(RKLLMPerfStat, prefill_tokens))
    ENTRY("RKLLMPerfStat.generate_time_ms", offsetof(RKLLMPerfStat, generate_time_ms))
    ENTRY("RKLLMPerfStat.generate_tokens", offsetof(RKLLMPerfStat, generate_tokens))
#if RKLLM_ABI >= 130
    ENTRY("RKLLMParam.ignore_eos_token", offsetof(RKLLMParam, ignore_eos_token))
    ENTRY("RKLLMInferParam.sampling_params", offsetof(RKLLMInferParam, sampling_params))
    ENTRY("RKLLMInferParam.max_new_tokens", offsetof(RKLLMInferParam, max_new_tokens))
    ENTRY("sizeof RKLLMCallback", sizeof(RKLLMCallback))
    ENTRY("RKLLMCallback.result_callback", offsetof(RKLLMCallback, result_callback))
    ENTRY("RKLLMCallback.result_userdata", offsetof(RKLLMCallback, result_userdata))
#else
    ENTRY("RKLLMParam.img_start", offsetof(RKLLMParam, img_start))
#endif
    return -1;
}
