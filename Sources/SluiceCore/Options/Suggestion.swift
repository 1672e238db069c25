/// "Did you mean …?" for a mistyped name: the nearest known name by edit distance, when it
/// is near enough to be a typo (at most a third of the name's length, at least 2 edits).
public enum Suggestion {
    /// The known name nearest to `word`, or nil when none is close.
    public static func nearest(_ word: String, among known: [String]) -> String? {
        let limit = max(2, word.count / 3)
        var best: (name: String, distance: Int)?
        for name in known where name != word {
            let distance = editDistance(Array(word.lowercased().utf8), Array(name.lowercased().utf8))
            if distance <= limit, distance < (best?.distance ?? .max) { best = (name, distance) }
        }
        return best?.name
    }

    /// ", did you mean 'x'?" or "".
    public static func didYouMean(_ word: String, among known: [String]) -> String {
        nearest(word, among: known).map { ", did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance (insertions, deletions, substitutions).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
