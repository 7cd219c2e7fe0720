namespace Engram.InferenceDaemon.Hosting;

/// <summary>The daemon cannot start as configured (an endpoint it cannot take, a state directory in use): exit 78, one line.</summary>
public sealed class StartupFailureException(string message, Exception? inner = null) : Exception(message, inner);
