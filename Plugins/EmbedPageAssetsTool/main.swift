import Foundation

// sluice-embed-assets OUTPUT NAME=PATH...: writes a Swift source declaring
// `EmbeddedPageAssets.files`, each file's bytes as a base64 string literal (string literals
// compile in no time; an array literal of the same bytes takes the type checker seconds).
let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: sluice-embed-assets OUTPUT NAME=PATH...\n".utf8))
    exit(2)
}
var source = """
// Generated at build time by sluice-embed-assets (Plugins/EmbedPageAssets) from Public/ and
// openapi.yaml. Do not edit: edit those files.

/// The page's files and the OpenAPI document, by path relative to the served root.
enum EmbeddedPageAssets {
    static let files: [(path: String, base64: String)] = [

"""
for argument in arguments.dropFirst() {
    guard let separator = argument.firstIndex(of: "=") else { continue }
    let name = String(argument[..<separator])
    let path = String(argument[argument.index(after: separator)...])
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("sluice-embed-assets: cannot read \(path)\n".utf8))
        exit(1)
    }
    let escapedName = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    source += "        (\"\(escapedName)\", \"\(data.base64EncodedString())\"),\n"
}
source += "    ]\n}\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("sluice-embed-assets: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
