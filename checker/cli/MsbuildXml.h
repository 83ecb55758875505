// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// MSBuild files (.vcxproj, .props, .targets) as XML: a file parsed by
// libxml2 into a <Project> document, with its errors as messages, and the
// few calls on its elements that reading a project needs (MsbuildXml.cpp).
#ifndef DMACHECK_CLI_MSBUILDXML_H
#define DMACHECK_CLI_MSBUILDXML_H

#include <libxml/tree.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dmacheck {
namespace cli {
namespace msbuild {

struct DocFree {
  void operator()(xmlDoc *D) const { xmlFreeDoc(D); }
};
/// A parsed file; owns its nodes.
using XmlDoc = std::unique_ptr<xmlDoc, DocFree>;

/// Parses an MSBuild file; null (and Error set) when it cannot be read, is
/// not well-formed XML or is not a <Project>. What names the file in the
/// message ("project", "property sheet").
XmlDoc readXml(const std::string &Path, const char *What, std::string &Error);

/// Whether N is the element Name.
bool is(const xmlNode *N, const char *Name);
/// N's element name.
std::string nameOf(const xmlNode *N);
/// N's child elements, in document order.
std::vector<xmlNode *> elements(const xmlNode *N);
/// N's text, trimmed.
std::string textOf(xmlNode *N);
/// N's attribute Name, or none when N has no such attribute.
std::optional<std::string> attribute(xmlNode *N, const char *Name);

} // namespace msbuild
} // namespace cli
} // namespace dmacheck

#endif
