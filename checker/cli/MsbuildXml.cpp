// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// MSBuild files read by libxml2, through the few calls needed: the file
// parsed without network access or libxml2's own error output, the first
// error it reports as the message (with its line), and a document whose
// root is not <Project> refused.
#include "MsbuildXml.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

using namespace dmacheck::cli;
using namespace dmacheck::cli::msbuild;
using llvm::StringRef;

bool msbuild::is(const xmlNode *N, const char *Name) {
  return N->type == XML_ELEMENT_NODE && xmlStrEqual(N->name, BAD_CAST Name);
}
std::string msbuild::nameOf(const xmlNode *N) {
  return reinterpret_cast<const char *>(N->name);
}
std::vector<xmlNode *> msbuild::elements(const xmlNode *N) {
  std::vector<xmlNode *> R;
  for (xmlNode *C = N->children; C; C = C->next)
    if (C->type == XML_ELEMENT_NODE)
      R.push_back(C);
  return R;
}
std::string msbuild::textOf(xmlNode *N) {
  xmlChar *C = xmlNodeGetContent(N);
  std::string S = C ? reinterpret_cast<const char *>(C) : "";
  xmlFree(C);
  return StringRef(S).trim().str();
}
std::optional<std::string> msbuild::attribute(xmlNode *N, const char *Name) {
  xmlChar *V = xmlGetProp(N, BAD_CAST Name);
  if (!V)
    return std::nullopt;
  std::string S = reinterpret_cast<const char *>(V);
  xmlFree(V);
  return S;
}

namespace {

/// The first error libxml2 reports while parsing (it goes on after the
/// first and its last is often only "Premature end of data").
struct XmlErrors {
  std::string Message;
  int Line = 0;
};
#if LIBXML_VERSION >= 21200
using XmlErrorArg = const xmlError *;
#else
using XmlErrorArg = xmlErrorPtr;
#endif
void firstXmlError(void *Data, XmlErrorArg E) {
  auto *Ctx = static_cast<xmlParserCtxtPtr>(Data);
  auto *Errors = Ctx ? static_cast<XmlErrors *>(Ctx->_private) : nullptr;
  if (!Errors || !E || E->level < XML_ERR_ERROR || !Errors->Message.empty())
    return;
  Errors->Message = E->message ? StringRef(E->message).trim().str() : "";
  Errors->Line = E->line;
}

} // namespace

XmlDoc msbuild::readXml(const std::string &Path, const char *What,
                        std::string &Error) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer) {
    Error = std::string("cannot read ") + What + " '" + Path +
            "': " + Buffer.getError().message();
    return nullptr;
  }
  if ((*Buffer)->getBufferSize() == 0) {
    Error = "'" + Path + "' is empty, not an MSBuild project";
    return nullptr;
  }
  xmlParserCtxtPtr Ctx = xmlCreateMemoryParserCtxt(
      (*Buffer)->getBufferStart(), int((*Buffer)->getBufferSize()));
  if (!Ctx) {
    Error = "cannot parse '" + Path + "'";
    return nullptr;
  }
  xmlCtxtUseOptions(Ctx, XML_PARSE_NONET | XML_PARSE_NOERROR |
                             XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
  XmlErrors Errors;
  Ctx->_private = &Errors;
  Ctx->userData = Ctx;
  Ctx->sax->serror = firstXmlError;
  xmlParseDocument(Ctx);
  XmlDoc Doc(Ctx->myDoc);
  Ctx->myDoc = nullptr;
  if (!Ctx->wellFormed) {
    Doc.reset();
    Error = "'" + Path + "' is not well-formed XML" +
            (Errors.Line > 0 ? " (line " + std::to_string(Errors.Line) + ")"
                             : std::string()) +
            ": " + (Errors.Message.empty() ? "unknown error" : Errors.Message);
  }
  xmlFreeParserCtxt(Ctx);
  if (!Doc)
    return nullptr;
  xmlNode *Root = xmlDocGetRootElement(Doc.get());
  if (!Root || !is(Root, "Project")) {
    Error = "'" + Path + "' is not an MSBuild project (its root element is <" +
            (Root ? nameOf(Root) : std::string()) + ">, not <Project>)";
    return nullptr;
  }
  return Doc;
}
