using Engram.Inference.Engine;

namespace Engram.Inference.Lifecycle;

/// <summary>Log messages of the model lifecycle: validation, loading, platform, pressure, crash recovery (event ids 1010-1039, 1050-1099).</summary>
internal static partial class LifecycleLog
{
    [LoggerMessage(1010, LogLevel.Information, "model {Model} loading: backend={Backend} file={Path}", EventName = "ModelLoading")]
    public static partial void ModelLoading(ILogger logger, string model, string backend, string path);

    [LoggerMessage(1011, LogLevel.Information, "model {Model} ready in {LoadMs:0} ms (context {Context} tokens){Note}", EventName = "ModelReady")]
    public static partial void ModelReady(ILogger logger, string model, double loadMs, int context, string note);

    [LoggerMessage(1012, LogLevel.Error, "model {Model} failed: class={FailureClass} detail={Detail} remedy={Remedy}", EventName = "ModelFailed")]
    public static partial void ModelFailed(ILogger logger, string model, string failureClass, string detail, string remedy);

    [LoggerMessage(1014, LogLevel.Information, "model {Model} validated: {Format} {Kind}, {SizeMiB:0.0} MiB, checksum {Checksum}, needs about {NeededMiB} MiB",
        EventName = "ModelValidated")]
    public static partial void ModelValidated(ILogger logger, string model, string format, string kind, double sizeMiB, string checksum, long neededMiB);

    [LoggerMessage(1020, LogLevel.Information, "platform {Check}: {Status} {Value} {Remedy}", EventName = "PlatformCheck")]
    public static partial void PlatformCheck(ILogger logger, string check, string status, string value, string remedy);

    [LoggerMessage(1030, LogLevel.Warning, "pressure {Change}: {Reason}; new requests go to fallback profiles while it lasts", EventName = "PressureChanged")]
    public static partial void PressureChanged(ILogger logger, string change, string reason);

    [LoggerMessage(1050, LogLevel.Error,
        "recovered from a crash: the previous process died during {Operation} on model {Model} ({Backend}, request {RequestId}) started at {At}, {Signal}; restarts so far: {Restarts}",
        EventName = "RecoveredFromCrash")]
    public static partial void RecoveredFromCrash(ILogger logger, string operation, string model, string backend, string requestId,
        DateTimeOffset at, string signal, int restarts);

    [LoggerMessage(1013, LogLevel.Warning, "model {Model}: {Description}", EventName = "BuiltInModel")]
    public static partial void BuiltInModelInUse(ILogger logger, string model, string description);

    [LoggerMessage(1015, LogLevel.Warning, "model {Model}: {Path} changed since it crashed the loader; its quarantine is lifted and it loads again",
        EventName = "QuarantineLifted")]
    public static partial void QuarantineLifted(ILogger logger, string model, string path);

    [LoggerMessage(1060, LogLevel.Critical, "stall detected, ending the daemon (SIGABRT) so it can be restarted: {Stall}", EventName = "StallDetected")]
    public static partial void StallDetected(ILogger logger, string stall);

    [LoggerMessage(1070, LogLevel.Information,
        "the daemon's own threads run on cpu{DaemonCpus}, the engines' on {EngineCpus} (daemon_cpu_affinity {Setting})", EventName = "DaemonThreadsPlaced")]
    public static partial void DaemonThreadsPlaced(ILogger logger, string daemonCpus, string engineCpus, string setting);

    [LoggerMessage(1071, LogLevel.Debug, "moved {Count} of the daemon's threads to cpu{DaemonCpus}", EventName = "DaemonThreadsMoved")]
    public static partial void DaemonThreadsMoved(ILogger logger, int count, string daemonCpus);

    [LoggerMessage(1072, LogLevel.Warning,
        "daemon_cpu_affinity {DaemonCpus}: the kernel refused to move the daemon's threads there (no such CPU online?); they stay where they are",
        EventName = "DaemonThreadsRefused")]
    public static partial void DaemonThreadsRefused(ILogger logger, string daemonCpus);

    [LoggerMessage(1073, LogLevel.Warning, "the daemon's threads are left where they are: /proc/self/task could not be read ({Reason})",
        EventName = "DaemonThreadsUnplaced")]
    public static partial void DaemonThreadsUnplaced(ILogger logger, string reason);

    [LoggerMessage(1061, LogLevel.Information,
        "stopping: no new requests; {Active} queued or running are told or given {GraceSeconds:0.#} s to finish", EventName = "Draining")]
    public static partial void Draining(ILogger logger, int active, double graceSeconds);
}
