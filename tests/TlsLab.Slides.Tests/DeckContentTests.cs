using TlsLab.Workshop;

namespace TlsLab.Slides.Tests;

/// <summary>The deck is a 45-minute talk with notes for the presenter, and everything it points at exists.</summary>
public sealed class DeckContentTests
{
    [Fact]
    public void The_deck_is_a_45_minute_talk_of_25_to_35_slides_and_optional_parts_beyond_it()
    {
        var deck = Deck.Load();
        var beyond = deck.Slides.ToList().FindIndex(s => s.Title == "Beyond the talk");
        var atWork = deck.Slides.ToList().FindIndex(s => s.Title == "At work");
        Assert.True(beyond > 0, "The deck has no slide titled 'Beyond the talk', the divider before the optional third hour.");
        Assert.True(atWork > beyond, "The deck has no slide titled 'At work' after 'Beyond the talk': the optional part on HttpClient and Kestrel.");
        Assert.InRange(beyond, 25, 35);
        Assert.InRange(atWork - beyond, 3, 8);
        Assert.InRange(deck.Slides.Count - atWork, 3, 6);
    }

    [Fact]
    public void Every_slide_has_speaker_notes()
    {
        var deck = Deck.Load();
        var bare = deck.Slides.Where(s => s.Notes.Count == 0).Select(s => $"slide {s.Number} ({s.Title})").ToList();
        Assert.True(bare.Count == 0,
            $"These slides have no speaker notes: {string.Join(", ", bare)}. Add an HTML comment <!-- what to say --> to each; Marp shows it in the " +
                "presenter view.");
    }

    [Fact]
    public void Every_path_the_deck_and_its_notes_mention_exists()
    {
        var documents = new[] { "deck.md", "NOTES.md", "README.md" }
            .Select(f => Repository.File("slides", f))
            .Concat(Directory.GetFiles(Repository.File("slides", "demos"), "*.md"))
            .Where(File.Exists)
            .ToList();
        var missing = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            var name = "slides/" + Path.GetRelativePath(Repository.File("slides"), document).Replace('\\', '/');
            foreach (var path in Deck.MentionedPaths(File.ReadAllText(document)).Where(p => !Exists(p)))
            {
                if (!missing.TryGetValue(path, out var where))
                {
                    missing[path] = where = new SortedSet<string>(StringComparer.Ordinal);
                }

                where.Add(name);
            }
        }

        static string List(SortedDictionary<string, SortedSet<string>> paths) =>
            string.Join("\n  ", paths.Select(p => $"{p.Key} (in {string.Join(", ", p.Value)})"));

        Assert.True(missing.Count == 0, $"The deck or its notes point at paths that do not exist:\n  {List(missing)}");
    }

    [Fact]
    public void The_deck_points_into_every_lesson_and_exercise_folder_by_its_agreed_name()
    {
        var text = Deck.Load().Text;
        // The welcome lesson, then each exercise's lesson and folder, as the kit's one exercise list names them.
        string[] agreed =
        [
            "notebooks/00-welcome",
            .. ExerciseCatalog.All.Select(e => $"notebooks/{e.Lesson}"),
            .. ExerciseCatalog.All.Select(e => $"exercises/{e.Folder}"),
        ];
        var absent = agreed.Where(p => !text.Contains(p, StringComparison.Ordinal)).ToList();
        Assert.True(absent.Count == 0, $"The deck never points at {string.Join(", ", absent)}; the 'Where to go next' slide should list every lesson " +
            "and exercise.");
    }

    [Fact]
    public void The_path_finder_sees_paths_in_prose_code_and_tables()
    {
        var found = Deck.MentionedPaths("See `notebooks/01-sockets` and exercises/02-validate. Run slides/demos/probe.cs, not .tlslab/lab-root.pem.");
        Assert.Equal(["notebooks/01-sockets", "exercises/02-validate", "slides/demos/probe.cs"], found);
    }

    private static bool Exists(string path)
    {
        var full = Repository.File(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        return Directory.Exists(full) || File.Exists(full)
            || new[] { ".ipynb", ".cs", ".md", ".sh" }.Any(ext => File.Exists(full + ext));
    }
}
