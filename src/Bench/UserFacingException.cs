namespace Engram.Bench;

/// <summary>An anticipated error: its message is shown to the user as is, without a stack trace.</summary>
public sealed class UserFacingException(string message) : Exception(message);
