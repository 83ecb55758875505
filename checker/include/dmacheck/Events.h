// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
// Recognising DMA events in call expressions, driven by the ApiModel.
#ifndef DMACHECK_EVENTS_H
#define DMACHECK_EVENTS_H

#include "dmacheck/ApiModel.h"

#include "clang/AST/Expr.h"

#include <optional>
#include <string>

namespace dmacheck {

/// How the callee of an event call was recognised; used in messages.
struct RecognisedCall {
  const EventRule *Rule = nullptr;
  /// The routine's name as the driver spelled it (for messages), e.g.
  /// "MapTransfer", "IoFlushAdapterBuffers", "flush".
  std::string CalleeName;
  /// The API routine it stands for ("MapTransfer", "FlushAdapterBuffers", ...).
  std::string ApiName;
};

class EventRecognizer {
public:
  explicit EventRecognizer(const ApiModel &Model) : Model(Model) {}

  /// Recognises Call as an event from its callee's name, the DMA_OPERATIONS
  /// member it reads, or the callee's function-pointer typedef. Calls whose
  /// argument count does not cover the rule's roles are not events.
  std::optional<RecognisedCall> recognise(const clang::CallExpr *Call) const;

  /// A read of a DMA_OPERATIONS member that names an event routine, e.g.
  /// `ops->FlushAdapterBuffers` (so a pointer cached from it is known).
  const EventRule *operationMember(const clang::MemberExpr *M) const;

  const ApiModel &model() const { return Model; }

private:
  const EventRule *byTypeSugar(clang::QualType T, std::string &Name) const;
  const ApiModel &Model;
};

/// The canonical API name for messages (e.g. "FlushAdapterBuffers").
llvm::StringRef apiNameFor(EventKind K);

} // namespace dmacheck

#endif
