namespace Lakehouse.Core.Config;

/// <summary>A setting that cannot be used; the message names the variable or line and where it came from.</summary>
public sealed class ConfigurationException(string message) : UserFacingException(message);
