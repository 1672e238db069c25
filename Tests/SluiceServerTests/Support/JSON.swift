import Foundation

/// Read-only access to a parsed JSON document for assertions:
/// `try response.json["connectors"][0]["name"].string`. A missing member or index gives
/// `JSON(nil)`, so a chain never traps and the final accessor returns nil.
struct JSON: @unchecked Sendable {
    let value: Any?

    init(_ value: Any?) { self.value = value }

    init(parsing bytes: [UInt8]) throws {
        value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    }

    init(parsing text: String) throws { try self.init(parsing: Array(text.utf8)) }

    subscript(key: String) -> JSON { JSON((value as? [String: Any])?[key]) }

    subscript(index: Int) -> JSON {
        guard let array = value as? [Any], array.indices.contains(index) else { return JSON(nil) }
        return JSON(array[index])
    }

    var string: String? { value as? String }
    var int: Int? { (value as? NSNumber).flatMap { isBoolean($0) ? nil : $0.intValue } }
    var double: Double? { (value as? NSNumber)?.doubleValue }
    var bool: Bool? { (value as? NSNumber).flatMap { isBoolean($0) ? $0.boolValue : nil } }
    var array: [JSON]? { (value as? [Any])?.map(JSON.init) }
    var count: Int { (value as? [Any])?.count ?? (value as? [String: Any])?.count ?? 0 }
    var keys: Set<String> { Set((value as? [String: Any])?.keys.map { $0 } ?? []) }
    var isNull: Bool { value is NSNull }
    var exists: Bool { value != nil }

    /// `[{"name","type","nullable"}]` fields as `name: type` strings, for compact checks.
    var fieldList: [String] {
        (array ?? []).map { "\($0["name"].string ?? "?"): \($0["type"].string ?? "?")" }
    }

    /// JSONSerialization gives booleans as NSNumbers of objCType "c".
    private func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
