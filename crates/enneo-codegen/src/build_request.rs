//! Gives every generated operation builder a `build_request` method.
//!
//! progenitor's `send()` builds the request, runs it through the hooks and
//! decodes the body in one step. The core crate has its own transport
//! (retries, buffering, attempt counts returned by value) and decodes once
//! into what its caller needs, so it takes the request as progenitor builds
//! it and sends it itself. The method is the prefix of `send()` up to and
//! including the `pre` hook, copied statement for statement, so the URL,
//! path encoding and headers stay progenitor's.

use syn::visit_mut::VisitMut;
use syn::{parse_quote, ImplItem, ImplItemFn, ItemImpl, Stmt};

struct AddBuildRequest {
    added: usize,
}

/// Whether `stmt` is the `client.pre(&mut request, &info).await?;` call.
fn is_pre_hook(stmt: &Stmt) -> bool {
    let Stmt::Expr(expr, Some(_)) = stmt else {
        return false;
    };
    let text = quote::quote!(#expr).to_string();
    text.starts_with("client . pre (")
}

fn build_request_of(send: &ImplItemFn) -> Option<ImplItemFn> {
    let stmts = &send.block.stmts;
    let pre = stmts.iter().position(is_pre_hook)?;
    let prefix = &stmts[..=pre];
    let doc =
        "Builds the request that `send` would send, after the `pre` hook, without sending it.";
    Some(parse_quote! {
        #[doc = #doc]
        pub async fn build_request(self) -> Result<reqwest::Request, Error<types::Error>> {
            #(#prefix)*
            Ok(request)
        }
    })
}

impl VisitMut for AddBuildRequest {
    fn visit_item_impl_mut(&mut self, item: &mut ItemImpl) {
        let built: Vec<ImplItemFn> = item
            .items
            .iter()
            .filter_map(|i| match i {
                ImplItem::Fn(f) if f.sig.ident == "send" => build_request_of(f),
                _ => None,
            })
            .collect();
        self.added += built.len();
        item.items.extend(built.into_iter().map(ImplItem::Fn));
        syn::visit_mut::visit_item_impl_mut(self, item);
    }
}

/// Adds `build_request` to each builder; errors when none was found, so a
/// progenitor upgrade that changes the shape of `send` fails loudly.
pub fn add(file: &mut syn::File) -> Result<usize, String> {
    let mut v = AddBuildRequest { added: 0 };
    v.visit_file_mut(file);
    if v.added == 0 {
        return Err(
            "no builder `send` with a `pre` hook call found; progenitor's output changed".into(),
        );
    }
    Ok(v.added)
}
