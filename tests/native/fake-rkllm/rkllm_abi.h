/* The RKLLM C API as published in rkllm.h, for one ABI version chosen at compile time:
 *   -DRKLLM_ABI=120  the 1.2.1-1.2.3 ABI      -DRKLLM_ABI=130  the 1.3.0 ABI
 * Field order and types follow the real headers (see shared/reference/rkllm.md section 1.4), so the compiler's
 * sizeof/offsetof here are what the C# binding must match. */
#ifndef FAKE_RKLLM_ABI_H
#define FAKE_RKLLM_ABI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef RKLLM_ABI
#error "define RKLLM_ABI as 120 or 130"
#endif

typedef void* LLMHandle;

typedef enum { RKLLM_RUN_NORMAL = 0, RKLLM_RUN_WAITING = 1, RKLLM_RUN_FINISH = 2, RKLLM_RUN_ERROR = 3 } LLMCallState;
typedef enum { RKLLM_INPUT_PROMPT = 0, RKLLM_INPUT_TOKEN = 1, RKLLM_INPUT_EMBED = 2, RKLLM_INPUT_MULTIMODAL = 3 } RKLLMInputType;
typedef enum { RKLLM_INFER_GENERATE = 0, RKLLM_INFER_GET_LAST_HIDDEN_LAYER = 1, RKLLM_INFER_GET_LOGITS = 2 } RKLLMInferMode;

typedef struct {
    int32_t base_domain_id;
    int8_t embed_flash;
    int8_t enabled_cpus_num;
    uint32_t enabled_cpus_mask;
    uint8_t n_batch;
    int8_t use_cross_attn;
    uint8_t reserved[104];
} RKLLMExtendParam;

typedef struct {
    const char* model_path;
    int32_t max_context_len;
    int32_t max_new_tokens;
    int32_t top_k;
    int32_t n_keep;
    float top_p;
    float temperature;
    float repeat_penalty;
    float frequency_penalty;
    float presence_penalty;
    int32_t mirostat;
    float mirostat_tau;
    float mirostat_eta;
    bool skip_special_token;
#if RKLLM_ABI >= 130
    bool ignore_eos_token;
#endif
    bool is_async;
#if RKLLM_ABI < 130
    const char* img_start;
    const char* img_end;
    const char* img_content;
#endif
    RKLLMExtendParam extend_param;
} RKLLMParam;

typedef struct { const char* lora_adapter_path; const char* lora_adapter_name; float scale; } RKLLMLoraAdapter;
typedef struct { float* embed; size_t n_tokens; } RKLLMEmbedInput;
typedef struct { int32_t* input_ids; size_t n_tokens; } RKLLMTokenInput;

#if RKLLM_ABI >= 130
typedef struct {
    char* prompt;
    struct { float* image_embed; size_t n_image_tokens; size_t n_image; char* image_start; char* image_end; char* image_content;
             size_t image_width; size_t image_height; } image;
    struct { float* video_embed; size_t n_frame_tokens; size_t n_frame_per_video; size_t n_video; char* video_start;
             char* video_end; char* video_content; size_t frame_width; size_t frame_height; } video;
} RKLLMMultiModalInput;
#else
typedef struct { char* prompt; float* image_embed; size_t n_image_tokens; size_t n_image; size_t image_width; size_t image_height; } RKLLMMultiModalInput;
#endif

typedef struct {
    const char* role;
    bool enable_thinking;
    RKLLMInputType input_type;
    union {
        const char* prompt_input;
        RKLLMEmbedInput embed_input;
        RKLLMTokenInput token_input;
        RKLLMMultiModalInput multimodal_input;
    };
} RKLLMInput;

typedef struct { const char* lora_adapter_name; } RKLLMLoraParam;
typedef struct { int save_prompt_cache; const char* prompt_cache_path; } RKLLMPromptCacheParam;

#if RKLLM_ABI >= 130
typedef struct {
    int32_t top_k; float top_p; float temperature; float repeat_penalty; float frequency_penalty; float presence_penalty;
    int32_t mirostat; float mirostat_tau; float mirostat_eta;
} RKLLMSamplingParam;
#endif

typedef struct {
    RKLLMInferMode mode;
    RKLLMLoraParam* lora_params;
    RKLLMPromptCacheParam* prompt_cache_params;
#if RKLLM_ABI >= 130
    RKLLMSamplingParam* sampling_params;
#endif
    int keep_history;
#if RKLLM_ABI >= 130
    int32_t max_new_tokens;
#endif
} RKLLMInferParam;

typedef struct { const float* hidden_states; int embd_size; int num_tokens; } RKLLMResultLastHiddenLayer;
typedef struct { const float* logits; int vocab_size; int num_tokens; } RKLLMResultLogits;
typedef struct { float prefill_time_ms; int prefill_tokens; float generate_time_ms; int generate_tokens; float memory_usage_mb; } RKLLMPerfStat;

typedef struct {
    const char* text;
    int32_t token_id;
    RKLLMResultLastHiddenLayer last_hidden_layer;
    RKLLMResultLogits logits;
    RKLLMPerfStat perf;
} RKLLMResult;

typedef int (*LLMResultCallback)(RKLLMResult* result, void* userdata, LLMCallState state);

#if RKLLM_ABI >= 130
typedef struct {
    LLMResultCallback result_callback;
    void* result_userdata;
    void* tokenizer_callback;
    void* tokenizer_userdata;
    void* embed_callback;
    void* embed_userdata;
} RKLLMCallback;
#endif

#endif
