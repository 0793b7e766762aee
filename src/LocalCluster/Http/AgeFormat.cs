using System.Globalization;

namespace TensorFusion.LocalCluster.Http;

/// <summary>kubectl's short human durations (`45s`, `3m12s`, `5h`, `2d3h`, `400d`), used for the AGE column.</summary>
public static class AgeFormat
{
    public static string Of(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            return "<invalid>";
        }

        var seconds = (long)age.TotalSeconds;
        var minutes = seconds / 60;
        var hours = minutes / 60;
        var days = hours / 24;
        return seconds switch
        {
            < 120 => $"{seconds}s",
            _ when minutes < 10 => seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s",
            _ when hours < 3 => $"{minutes}m",
            _ when hours < 8 => minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m",
            _ when hours < 48 => $"{hours}h",
            _ when hours < 192 => hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h",
            _ when days < 730 => $"{days}d",
            _ => (days / 365).ToString(CultureInfo.InvariantCulture) + "y",
        };
    }
}
