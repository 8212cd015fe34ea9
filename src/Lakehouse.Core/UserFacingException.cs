namespace Lakehouse.Core;

/// <summary>
/// An error whose message is the whole story for a person: what they asked for, or the input they gave, is wrong and where
/// (file, line, column; the gate and its numbers). Front ends print the message alone, never a stack trace.
/// </summary>
public abstract class UserFacingException(string message, Exception? inner = null) : Exception(message, inner);
