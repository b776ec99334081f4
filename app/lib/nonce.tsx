/** The per-request CSP nonce, handed from the server entry to the inline scripts Remix renders. */
import { createContext, useContext } from "react";

const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
