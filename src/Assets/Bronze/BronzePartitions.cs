using System.Globalization;
using Lakehouse.Core.Assets;
using Lakehouse.Core.Objects;
using Lakehouse.Core.Partitions;

namespace TmLakehouse.Assets.Bronze;

/// <summary>The partition names and keys shared by landing, Bronze, Silver and Gold: course_id × ingest_date, and courses alone.</summary>
public static class BronzePartitions
{
    /// <summary>The dynamic definition holding every (course_id, ingest_date) pair that has landed.</summary>
    public const string Name = "rounds_raw";

    /// <summary>The dynamic definition holding every course that has landed at least one file (Gold is partitioned by it).</summary>
    public const string CoursesName = "courses";

    public const string CourseDimension = "course_id";
    public const string IngestDateDimension = "ingest_date";

    /// <summary>course_id × ingest_date, limited to the pairs registered under <see cref="Name"/>.</summary>
    public static MultiPartitionsDefinition CourseByIngestDate { get; } = new(
        [
            (CourseDimension, new DynamicPartitionsDefinition(CoursesName, CourseDimension)),
            // The start only bounds what users may type; the keys themselves come from the registered pairs.
            (IngestDateDimension, new DailyPartitionsDefinition(IngestDateDimension, new DateOnly(2000, 1, 1))),
        ],
        Name);

    /// <summary>One partition per course that has landed.</summary>
    public static DynamicPartitionsDefinition Courses { get; } = new(CoursesName, CourseDimension);

    /// <summary>The composite key text, e.g. <c>course_id=erinhills,ingest_date=2025-06-01</c> (also the ledger's partition).</summary>
    public static string KeyOf(string courseId, DateOnly ingestDate) =>
        $"{CourseDimension}={courseId},{IngestDateDimension}={Format(ingestDate)}";

    /// <summary>Where Bronze keeps its partitions: one folder per (course_id, ingest_date) in the bronze bucket; Silver reads through it.</summary>
    public static ObjectFolderStorage Storage { get; } = new(Layers.Bronze);

    /// <summary>The object-key folder of a partition in the bronze bucket, ending with '/'.</summary>
    public static string FolderOf(string courseId, DateOnly ingestDate) => Storage.FolderOf(new PartitionKey(KeyOf(courseId, ingestDate)));

    public static string Format(DateOnly ingestDate) => ingestDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly ParseIngestDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new FormatException($"'{text}' is not an ingest date: expected yyyy-MM-dd.");

    /// <summary>Course ids end up in object keys and partition keys, so only letters, digits, '_', '-' and '.' are allowed.</summary>
    public static void ValidateCourseId(string courseId)
    {
        if (CourseIdProblem(courseId) is { } problem) throw new ArgumentException(problem, nameof(courseId));
    }

    /// <summary>Why <paramref name="courseId"/> cannot be a course id, or null when it can.</summary>
    public static string? CourseIdProblem(string? courseId) =>
        string.IsNullOrEmpty(courseId) || courseId is "." or ".." || !courseId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? $"'{courseId}' is not a valid course id: use letters, digits, '_', '-' or '.'."
            : null;
}
