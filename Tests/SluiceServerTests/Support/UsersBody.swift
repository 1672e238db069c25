/// Upload bodies of the seed's users (`id`, `name` = `User_<id>`) in each upload format.
enum UsersBody {
    static func ndjson(_ ids: ClosedRange<Int>) -> String {
        ids.map { #"{"id":\#($0),"name":"User_\#($0)"}"# + "\n" }.joined()
    }

    static func jsonArray(_ ids: ClosedRange<Int>) -> String {
        "[\n" + ids.map { #"  {"id": \#($0), "name": "User_\#($0)"}"# }.joined(separator: ",\n") + "\n]"
    }

    static func csv(_ ids: ClosedRange<Int>) -> String {
        "id,name\n" + ids.map { "\($0),User_\($0)\n" }.joined()
    }

    /// The lines the `local-files` sink writes for these users.
    static func lines(_ ids: ClosedRange<Int>) -> [String] {
        ids.map { #"{"id":\#($0),"name":"User_\#($0)"}"# }
    }
}
